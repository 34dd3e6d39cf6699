package cli

import (
	"fmt"
	"strings"

	"github.com/sarifkit/sarifkit/fetch"
)

// Getenv reads an environment variable; tests pass a map's lookup.
type Getenv func(string) string

// Token returns the GitHub token from GITHUB_TOKEN, else GH_TOKEN.
func Token(getenv Getenv) (string, error) {
	for _, k := range []string{"GITHUB_TOKEN", "GH_TOKEN"} {
		if t := strings.TrimSpace(getenv(k)); t != "" {
			return t, nil
		}
	}
	return "", fmt.Errorf("no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token with the security_events scope")
}

// Repo splits OWNER/NAME, taking GITHUB_REPOSITORY when flag is empty.
func Repo(flag string, getenv Getenv) (owner, name string, err error) {
	r := flag
	if r == "" {
		r = getenv("GITHUB_REPOSITORY")
	}
	owner, name, ok := strings.Cut(r, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		if r == "" {
			return "", "", fmt.Errorf("no repository: give --repo OWNER/NAME (or set GITHUB_REPOSITORY)")
		}
		return "", "", fmt.Errorf("repository %q is not OWNER/NAME", r)
	}
	return owner, name, nil
}

// APIURL returns the API root: the flag, else GITHUB_API_URL, else "" (the
// client's default, api.github.com).
func APIURL(flag string, getenv Getenv) string {
	if flag != "" {
		return flag
	}
	return getenv("GITHUB_API_URL")
}

// GitHub is what a command that talks to GitHub reads from its flags
// (--repo, --api-url) and the environment.
type GitHub struct {
	cmd    *Command
	repo   *string
	apiURL *string
}

// GitHubFlags adds --repo and --api-url to the command.
func (c *Command) GitHubFlags() *GitHub {
	return &GitHub{
		cmd:    c,
		repo:   c.Flags.String("repo", "", "repository OWNER/NAME (default $GITHUB_REPOSITORY)"),
		apiURL: c.Flags.String("api-url", "", "API root (default $GITHUB_API_URL, else https://api.github.com)"),
	}
}

// Connect resolves the repository and the token and returns a client that
// reports its waits on the command's standard error.
func (g *GitHub) Connect(getenv Getenv) (owner, repo string, client *fetch.Client, err error) {
	if owner, repo, err = Repo(*g.repo, getenv); err != nil {
		return "", "", nil, err
	}
	token, err := Token(getenv)
	if err != nil {
		return "", "", nil, err
	}
	client, err = fetch.NewClient(fetch.Options{
		BaseURL:   APIURL(*g.apiURL, getenv),
		Token:     token,
		UserAgent: "sarifkit/" + Version(),
		Logf:      func(f string, a ...any) { fmt.Fprintf(g.cmd.Stderr, g.cmd.Name+": "+f+"\n", a...) },
	})
	return owner, repo, client, err
}

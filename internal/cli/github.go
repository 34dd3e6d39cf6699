package cli

import (
	"fmt"
	"strings"
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

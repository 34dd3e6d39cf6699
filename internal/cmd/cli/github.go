package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/sarifkit/sarifkit/fetch"
)

// The GitHub context of a command, read as the gh CLI reads it, so that a
// machine set up for gh (or a GitHub Actions runner) needs nothing more:
//
//   - the repository: -R/--repo (OWNER/NAME, HOST/OWNER/NAME or a URL such
//     as https://github.com/OWNER/NAME), else GH_REPO, else
//     GITHUB_REPOSITORY, else the origin remote of the current checkout,
//     but only when the remote is on the GitHub host in use (see
//     hostsInUse): the checkout names the repository, never the host the
//     token goes to;
//   - the host: the repository's, else GH_HOST, else github.com; the API
//     root follows from it (https://api.github.com, https://HOST/api/v3
//     for GitHub Enterprise Server), unless --api-url or, without a host
//     named, GITHUB_API_URL (set in GitHub Actions, with GITHUB_SERVER_URL)
//     says otherwise;
//   - the token: GH_TOKEN, else GITHUB_TOKEN, else what `gh auth token`
//     prints when gh is installed and logged in.

// Repo is a repository on a GitHub host.
type Repo struct {
	Host, Owner, Name string
	// APIURL is the REST API root for the repository's host.
	APIURL string
}

func (r Repo) String() string { return r.Owner + "/" + r.Name }

// WebURL is the repository's page.
func (r Repo) WebURL() string { return "https://" + r.Host + "/" + r.Owner + "/" + r.Name }

// GitHub is what a command that talks to GitHub reads from its flags
// (-R/--repo, --api-url) and the environment.
type GitHub struct {
	cmd    *Command
	repo   *string
	apiURL *string
}

// GitHubFlags adds -R/--repo and --api-url to the command.
func (c *Command) GitHubFlags() *GitHub {
	return &GitHub{
		cmd:    c,
		repo:   c.Flags.StringP("repo", "R", "", "repository `OWNER/NAME`, HOST/OWNER/NAME or its URL (default $GH_REPO, $GITHUB_REPOSITORY, else the origin remote of the checkout)"),
		apiURL: c.Flags.String("api-url", "", "REST API root, e.g. https://HOST/api/v3 for GitHub Enterprise Server (default from the repository's host, or $GITHUB_API_URL)"),
	}
}

// Repository resolves the repository and its API root, without the
// network and without a token.
func (g *GitHub) Repository(ctx context.Context) (Repo, error) {
	env := g.cmd.IO.Getenv
	spec, from := *g.repo, "--repo"
	for _, k := range []string{"GH_REPO", "GITHUB_REPOSITORY"} {
		if spec == "" {
			spec, from = strings.TrimSpace(env(k)), k
		}
	}
	var r Repo
	if spec == "" {
		var err error
		if r, err = g.originRepo(ctx); err != nil {
			return Repo{}, err
		}
	} else {
		var err error
		if r, err = ParseRepo(spec); err != nil {
			return Repo{}, fmt.Errorf("%s: %w", from, err)
		}
	}
	if r.Host == "" {
		r.Host = strings.TrimSpace(env("GH_HOST"))
	}
	switch {
	case *g.apiURL != "":
		r.APIURL = *g.apiURL
	case r.Host == "" && env("GITHUB_API_URL") != "":
		// GitHub Actions names the API and the web server.
		r.APIURL = env("GITHUB_API_URL")
		if u, err := url.Parse(env("GITHUB_SERVER_URL")); err == nil && u.Host != "" {
			r.Host = u.Host
		} else if u, err := url.Parse(r.APIURL); err == nil && u.Host != "api.github.com" {
			r.Host = u.Host
		}
	default:
		r.APIURL = apiRoot(r.Host)
	}
	if r.Host == "" {
		r.Host = "github.com"
	}
	return r, nil
}

// originRepo reads the repository from the origin remote of the checkout,
// when the remote is on a GitHub host in use. Only its owner and name are
// kept: the host and the API root are those of the flags and the
// environment, as for --repo OWNER/NAME.
func (g *GitHub) originRepo(ctx context.Context) (Repo, error) {
	remote, err := g.originRemote(ctx)
	if err != nil {
		return Repo{}, fmt.Errorf("no repository: give --repo OWNER/NAME (or set GH_REPO); %v", err)
	}
	r, err := ParseRepo(remote)
	if err != nil || r.Host == "" {
		return Repo{}, fmt.Errorf("no repository: the origin remote %q is not the URL of a GitHub repository; give --repo OWNER/NAME (or set GH_REPO)", displayRemote(remote))
	}
	hosts := g.hostsInUse()
	for _, h := range hosts {
		if sameHost(r.Host, h) {
			r.Host = ""
			return r, nil
		}
	}
	return Repo{}, fmt.Errorf("no repository: the origin remote %q is on %s, not on the GitHub host in use (%s); give --repo OWNER/NAME (or set GH_REPO), and GH_HOST or --api-url for another host",
		displayRemote(remote), r.Host, strings.Join(hosts, ", "))
}

// hostsInUse are the GitHub hosts the flags and the environment name, on
// which an origin remote may be: GH_HOST; the web host of --api-url's API
// root (github.com for api.github.com, X.ghe.com for api.X.ghe.com, HOST
// for HOST/api/v3); without GH_HOST and --api-url, those of
// GITHUB_SERVER_URL and GITHUB_API_URL (set in GitHub Actions); and
// github.com when none is named.
func (g *GitHub) hostsInUse() []string {
	env := g.cmd.IO.Getenv
	var hosts []string
	if h := strings.TrimSpace(env("GH_HOST")); h != "" {
		hosts = append(hosts, h)
	}
	api := *g.apiURL
	if api == "" && len(hosts) == 0 && env("GITHUB_API_URL") != "" {
		api = env("GITHUB_API_URL")
		if u, err := url.Parse(env("GITHUB_SERVER_URL")); err == nil && u.Host != "" {
			hosts = append(hosts, u.Host)
		}
	}
	if u, err := url.Parse(api); err == nil && u.Host != "" {
		hosts = append(hosts, webHost(u.Host))
	}
	if len(hosts) == 0 {
		hosts = []string{"github.com"}
	}
	return hosts
}

// webHost is the web host of an API host: github.com for api.github.com,
// X.ghe.com for api.X.ghe.com; GitHub Enterprise Server serves both on
// one host.
func webHost(apiHost string) string {
	h := strings.ToLower(apiHost)
	switch {
	case h == "api.github.com":
		return "github.com"
	case strings.HasPrefix(h, "api.") && strings.HasSuffix(h, ".ghe.com"):
		return strings.TrimPrefix(h, "api.")
	}
	return h
}

// sameHost tells whether a remote's host is host, ports aside
// (a remote over SSH names no HTTP port); ssh.github.com, GitHub's SSH
// over port 443, is github.com.
func sameHost(remote, host string) bool {
	name := func(h string) string {
		if u, err := url.Parse("//" + h); err == nil && u.Hostname() != "" {
			h = u.Hostname()
		}
		h = strings.ToLower(h)
		if h == "ssh.github.com" {
			h = "github.com"
		}
		return h
	}
	return name(remote) == name(host)
}

// displayRemote is a remote's URL as printed: without a user and password
// (a remote URL may embed a token).
func displayRemote(s string) string {
	if u, err := url.Parse(s); err == nil && u.User != nil && u.Host != "" {
		u.User = nil
		return u.String()
	}
	if i := strings.Index(s, "://"); i >= 0 {
		rest := s[i+3:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
			return s[:i+3] + rest[at+1:]
		}
	}
	return s
}

// apiRoot is the REST API root of a host: api.github.com for github.com,
// api.HOST for GitHub Enterprise Cloud with data residency (*.ghe.com),
// HOST/api/v3 for GitHub Enterprise Server.
func apiRoot(host string) string {
	switch {
	case host == "" || host == "github.com":
		return fetch.DefaultBaseURL
	case strings.HasSuffix(host, ".ghe.com"):
		return "https://api." + host
	}
	return "https://" + host + "/api/v3"
}

var repoPart = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// dots tells whether a name is "." or "..", which GitHub allows for
// neither owners nor repositories, and which would change an API path.
func dots(s string) bool { return s == "." || s == ".." }

// ParseRepo reads OWNER/NAME, HOST/OWNER/NAME, or a repository URL
// (https://HOST/OWNER/NAME, with or without .git; git@HOST:OWNER/NAME.git;
// ssh://git@HOST/OWNER/NAME.git). Host is "" for the first form.
func ParseRepo(s string) (Repo, error) {
	s = strings.TrimSpace(s)
	var host, path string
	switch {
	case strings.Contains(s, "://"):
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return Repo{}, fmt.Errorf("repository %q is not OWNER/NAME or a repository URL", displayRemote(s))
		}
		host, path = u.Hostname(), strings.Trim(u.Path, "/")
	case strings.HasPrefix(s, "git@") && strings.Contains(s, ":"):
		host, path, _ = strings.Cut(strings.TrimPrefix(s, "git@"), ":")
	default:
		path = s
		if parts := strings.Split(s, "/"); len(parts) == 3 {
			host, path = parts[0], parts[1]+"/"+parts[2]
		}
	}
	path = strings.TrimSuffix(path, ".git")
	owner, name, ok := strings.Cut(path, "/")
	if !ok || !repoPart.MatchString(owner) || !repoPart.MatchString(name) || dots(owner) || dots(name) {
		return Repo{}, fmt.Errorf("repository %q is not OWNER/NAME or a repository URL", displayRemote(s))
	}
	return Repo{Host: host, Owner: owner, Name: name}, nil
}

// originRemote reads the URL of the origin remote of the checkout that
// holds the current directory.
func (g *GitHub) originRemote(ctx context.Context) (string, error) {
	if g.cmd.IO.Exec == nil {
		return "", errors.New("no checkout to take it from")
	}
	out, err := g.cmd.IO.Exec(ctx, "", "git", "remote", "get-url", "origin")
	if err != nil {
		return "", errors.New("the current directory is not a git checkout with an origin remote")
	}
	return string(bytes.TrimSpace(out)), nil
}

// Token returns the token for the host: GH_TOKEN, else GITHUB_TOKEN, else
// `gh auth token --hostname HOST`.
func (g *GitHub) Token(ctx context.Context, host string) (string, error) {
	for _, k := range []string{"GH_TOKEN", "GITHUB_TOKEN"} {
		if t := strings.TrimSpace(g.cmd.IO.Getenv(k)); t != "" {
			return t, nil
		}
	}
	if g.cmd.IO.Exec != nil {
		if out, err := g.cmd.IO.Exec(ctx, "", "gh", "auth", "token", "--hostname", host); err == nil {
			if t := string(bytes.TrimSpace(out)); t != "" {
				return t, nil
			}
		}
	}
	return "", fmt.Errorf("no GitHub token: set GH_TOKEN (or GITHUB_TOKEN) to a token with the security_events scope, or log in with `gh auth login`")
}

// Connect resolves the repository and the token and returns a client
// that reports its waits (rate limits, retries) on standard error.
func (g *GitHub) Connect(ctx context.Context) (Repo, *fetch.Client, error) {
	r, err := g.Repository(ctx)
	if err != nil {
		return Repo{}, nil, err
	}
	token, err := g.Token(ctx, r.Host)
	if err != nil {
		return Repo{}, nil, err
	}
	client, err := fetch.NewClient(&fetch.Options{
		BaseURL:   r.APIURL,
		Token:     token,
		UserAgent: "sarifkit/" + strings.Fields(Version())[0],
		Logf:      func(f string, a ...any) { g.cmd.Infof(f, a...) },
		Limits:    g.cmd.IO.NetLimits,
	})
	return r, client, err
}

// ConnectHost returns a client for the API of the host the flags and
// the environment name (--api-url, GITHUB_API_URL, GH_HOST), without a
// repository: for an organization's or an enterprise's listings.
func (g *GitHub) ConnectHost(ctx context.Context) (*fetch.Client, error) {
	env := g.cmd.IO.Getenv
	host := strings.TrimSpace(env("GH_HOST"))
	api := *g.apiURL
	switch {
	case api != "":
	case host == "" && env("GITHUB_API_URL") != "":
		api = env("GITHUB_API_URL")
	default:
		api = apiRoot(host)
	}
	if host == "" {
		host = "github.com"
		if u, err := url.Parse(api); err == nil && u.Host != "api.github.com" && u.Host != "" {
			host = u.Host
		}
	}
	token, err := g.Token(ctx, host)
	if err != nil {
		return nil, err
	}
	return fetch.NewClient(&fetch.Options{
		BaseURL:   api,
		Token:     token,
		UserAgent: "sarifkit/" + strings.Fields(Version())[0],
		Logf:      func(f string, a ...any) { g.cmd.Infof(f, a...) },
		Limits:    g.cmd.IO.NetLimits,
	})
}

// Checkout answers what the checkout in the current directory is at: its
// branch as a ref (refs/heads/NAME) and its HEAD commit.
func (c *Command) Checkout(ctx context.Context) (ref, commit string, err error) {
	if c.IO.Exec == nil {
		return "", "", errors.New("no checkout to read")
	}
	out, err := c.IO.Exec(ctx, "", "git", "rev-parse", "HEAD")
	if err != nil {
		return "", "", errors.New("the current directory is not a git checkout")
	}
	commit = string(bytes.TrimSpace(out))
	if out, err := c.IO.Exec(ctx, "", "git", "symbolic-ref", "-q", "HEAD"); err == nil {
		ref = string(bytes.TrimSpace(out))
	}
	return ref, commit, nil
}

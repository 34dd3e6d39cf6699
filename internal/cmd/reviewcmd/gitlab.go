package reviewcmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sarifkit/sarifkit/gitlab"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/review"
)

// gitlabForge returns the GitLab merge request that the environment names
// as a review.Forge, with its head commit (the version's of the analysed
// commit, CI_COMMIT_SHA, else the newest's): the API
// root CI_API_V4_URL, the project CI_MERGE_REQUEST_PROJECT_ID, else
// CI_PROJECT_ID (a numeric id or a path, "group/project"), the merge
// request CI_MERGE_REQUEST_IID (or --pr), and the token GITLAB_TOKEN (an
// access token with the api scope; never CI_JOB_TOKEN, which GitLab
// refuses on the merge request endpoints). A variable missing or invalid is a *UsageError (exit 2);
// the merge request not found, or GitLab failing, any other error (3).
func gitlabForge(ctx context.Context, o *Options) (review.Forge, string, error) {
	env := func(k string) string { return strings.TrimSpace(o.IO.Getenv(k)) }
	usage := func(format string, a ...any) error { return &UsageError{fmt.Errorf(format, a...)} }
	// In a merge request pipeline the merge request belongs to
	// CI_MERGE_REQUEST_PROJECT_ID: the target project, where CI_PROJECT_ID
	// is the fork's in a pipeline run in the fork.
	api, project := env("CI_API_V4_URL"), cmp.Or(env("CI_MERGE_REQUEST_PROJECT_ID"), env("CI_PROJECT_ID"))
	if api == "" {
		return nil, "", usage("CI_API_V4_URL is not set: the GitLab API root (https://gitlab.example.com/api/v4), as GitLab CI sets it")
	}
	if project == "" {
		return nil, "", usage("CI_PROJECT_ID is not set: the project's id or path (group/project), as GitLab CI sets it")
	}
	iid := o.PR
	if iid == 0 {
		s := env("CI_MERGE_REQUEST_IID")
		if s == "" {
			return nil, "", usage("CI_MERGE_REQUEST_IID is not set: run the job in a merge request pipeline (rules: if $CI_PIPELINE_SOURCE == \"merge_request_event\"), or give --pr IID")
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return nil, "", usage("CI_MERGE_REQUEST_IID %q is not a merge request's iid", s)
		}
		iid = n
	}
	opts := &gitlab.Options{
		BaseURL:   api,
		Token:     env("GITLAB_TOKEN"),
		UserAgent: "sarifkit/" + strings.Fields(cli.Version())[0],
		Logf:      func(f string, a ...any) { o.cmd.Infof(f, a...) },
		Limits: gitlab.Limits{HeaderTimeout: o.IO.NetLimits.HeaderTimeout, IdleTimeout: o.IO.NetLimits.IdleTimeout,
			RequestTimeout: o.IO.NetLimits.RequestTimeout, MaxBytes: o.IO.NetLimits.MaxJSONBytes},
	}
	if opts.Token == "" {
		// Not CI_JOB_TOKEN: GitLab refuses it on the merge request
		// endpoints, and it acts for whoever started the pipeline.
		return nil, "", usage("GITLAB_TOKEN is not set: a project or group access token with the api scope and at least the Reporter role, as a masked CI/CD variable (CI_JOB_TOKEN may not comment on merge requests)")
	}
	client, err := gitlab.NewClient(opts)
	if err != nil {
		return nil, "", usage("CI_API_V4_URL: %w", err)
	}
	// The analysed commit: --commit, else CI_COMMIT_SHA; but in a merged
	// results pipeline that is a merge commit of no version, and the
	// source branch's head is CI_MERGE_REQUEST_SOURCE_BRANCH_SHA.
	f, err := client.MergeRequests.Forge(ctx, project, iid, cmp.Or(o.Commit, env("CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"), env("CI_COMMIT_SHA")))
	if err != nil {
		var apiErr *gitlab.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == 404 {
			return nil, "", fmt.Errorf("merge request %d of project %s: %w", iid, project, err)
		}
		return nil, "", err
	}
	return f, f.Head(), nil
}

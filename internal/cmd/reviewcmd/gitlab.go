package reviewcmd

import (
	"context"
	"errors"

	"github.com/sarifkit/sarifkit/review"
)

// gitlabForge returns the GitLab merge request that the environment names
// (CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, GITLAB_TOKEN or
// CI_JOB_TOKEN) as a review.Forge, with its head commit. An error wrapped
// in a *UsageError exits 2 (a variable missing), any other 3.
//
// A placeholder: the GitLab helper's branch (i26-gitlab) replaces this
// file.
func gitlabForge(ctx context.Context, o *Options) (review.Forge, string, error) {
	return nil, "", &UsageError{errors.New("--gitlab is not built in yet")}
}

package gitlab

import (
	"context"
	"errors"
	"net/http"
)

// UsersService tells who the token acts for.
//
// https://docs.gitlab.com/api/users/
type UsersService struct{ client *Client }

// Current returns the user the token acts for: the token's own (a project
// or group access token's is a bot user), or with a CI job token the user
// who started the job (not the token's own: anyone who may run a
// pipeline, a merge request's author among them).
//
// GET /user (an access token)
// https://docs.gitlab.com/api/users/#get-the-current-user
//
// GET /job (a job token)
// https://docs.gitlab.com/api/jobs/#get-job-tokens-job
func (s *UsersService) Current(ctx context.Context) (*User, error) {
	if s.client.opts.JobToken != "" {
		var job struct {
			User *User `json:"user"`
		}
		if _, err := s.client.do(ctx, request{method: http.MethodGet, path: "job"}, &job); err != nil {
			return nil, err
		}
		if job.User == nil {
			return nil, errors.New("GET job: the answer names no user")
		}
		return job.User, nil
	}
	var u User
	if _, err := s.client.do(ctx, request{method: http.MethodGet, path: "user"}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

package gitlab

import (
	"net/url"

	"github.com/sarifkit/sarifkit/internal/apiclient"
)

// The token goes only where the user sent it: to the scheme and host
// (with its port) of the API root. The client's transport sets the
// token's header on each request to that origin and on no other, so that
// a redirect elsewhere goes without it (see internal/apiclient).

// newSecrets are the credentials the client never prints: its token.
func newSecrets(token string) apiclient.Secrets {
	return apiclient.NewSecrets(token, &url.URL{})
}

// sanitize escapes what would act on a terminal or start a line in a CI
// log.
func sanitize(s string) string { return apiclient.Sanitize(s) }

package fetch

import (
	"net/http"
	"net/url"

	"github.com/sarifkit/sarifkit/internal/apiclient"
)

// The token goes only where the user sent it: to the scheme and host
// (with its port) of the API root, as Authorization: Bearer; not on a
// redirect to another host (or port), and a redirect from https to http
// is refused (see internal/apiclient's HTTPClient).

// httpClient returns the client the requests go through.
func httpClient(hc *http.Client, base *url.URL, token string) *http.Client {
	value := ""
	if token != "" {
		value = "Bearer " + token
	}
	return apiclient.HTTPClient(hc, base, "Authorization", value)
}

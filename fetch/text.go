package fetch

import (
	"net/url"

	"github.com/sarifkit/sarifkit/internal/apiclient"
)

// Text from the server (error messages, documentation URLs, processing
// errors) and URLs are printed by the commands: what is printed never
// holds a credential (the token, a password in the API URL) nor a control
// character a terminal or a CI log would act on. The transport's
// [apiclient.Secrets] do it; these are their names here.

// What a credential is replaced with, and how much of a server's text is
// kept.
const (
	redacted      = apiclient.Redacted
	maxServerText = apiclient.MaxServerText
)

// secrets are the credentials a client must never print.
type secrets struct{ apiclient.Secrets }

func newSecrets(token string, base *url.URL) secrets {
	return secrets{apiclient.NewSecrets(token, base)}
}

func (s secrets) redact(text string) string     { return s.Redact(text) }
func (s secrets) serverText(text string) string { return s.ServerText(text) }
func (s secrets) serverURL(raw string) string   { return s.ServerURL(raw) }
func (s secrets) displayURL(u *url.URL) string  { return s.DisplayURL(u) }
func displayRawURL(raw string) string           { return apiclient.DisplayRawURL(raw) }
func cut(text string, n int) string             { return apiclient.Cut(text, n) }
func sanitize(s string) string                  { return apiclient.Sanitize(s) }

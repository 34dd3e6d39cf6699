package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A server is trusted with the token, not with its answers: its paging
// must advance, and what it says is printed escaped, the token redacted.
func TestHostileServer(t *testing.T) {
	t.Parallel()
	pages := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/diffs"):
			pages++
			w.Header().Set("X-Next-Page", r.URL.Query().Get("page")) // the same page again
			fmt.Fprint(w, `[{"new_path":"a.go"}]`)
		case strings.HasSuffix(r.URL.Path, "/discussions"):
			w.Header().Set("X-Next-Page", "-1")
			fmt.Fprint(w, `[{"id":"x"}]`)
		default:
			w.WriteHeader(400)
			fmt.Fprintf(w, `{"message":{"base":["\u001b]0;owned\u0007 echo %s\n::error::x"]}}`, r.Header.Get("PRIVATE-TOKEN"))
		}
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(&Options{BaseURL: srv.URL, Token: "glpat-secret", Backoff: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.MergeRequests.Diffs(ctx, "g/p", 1); err == nil || !strings.Contains(err.Error(), "paging is broken") || pages != 1 {
		t.Errorf("a page that names itself next: %v after %d pages", err, pages)
	}
	if _, err := c.MergeRequests.Discussions(ctx, "g/p", 1); err == nil || !strings.Contains(err.Error(), `says the next is "-1"`) {
		t.Errorf("a page before the first: %v", err)
	}
	_, err = c.MergeRequests.CreateNote(ctx, "g/p", 1, "x")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatal(err)
	}
	if want := `base: \x1b]0;owned\a echo ***\n::error::x`; apiErr.Message != want {
		t.Errorf("message %q, want %q", apiErr.Message, want)
	}
	if strings.Contains(err.Error(), "glpat-secret") || strings.ContainsAny(err.Error(), "\x1b\n") {
		t.Errorf("error %q", err)
	}
}

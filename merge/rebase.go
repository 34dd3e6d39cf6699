package merge

import (
	"context"
	"net/url"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// RebaseURIs makes absolute file: URIs under root relative to it, as
// GitHub needs repository-relative paths. root is a directory path or a
// file: URI (the checkout of another machine: file:///D:/a/app/app;
// drive letters match in either case). With baseID, rebased locations get
// that uriBaseId and each run gets an originalUriBaseIds entry for it
// pointing at root. URIs already relative, of another scheme, or outside
// root are left alone. Results held as text and in the model are rebased
// alike. It returns the number of URIs rewritten.
func RebaseURIs(ctx context.Context, l *sarif.Log, root, baseID string) (int, error) {
	if !strings.HasPrefix(strings.ToLower(root), "file:") {
		uri, err := sarif.FileURI(root)
		if err != nil {
			return 0, err
		}
		root = uri
	}
	root = strings.TrimSuffix(root, "/") + "/"
	n := 0
	for _, run := range l.Report.Runs {
		if run == nil {
			continue
		}
		rb := &rebaser{run: run, root: root}
		changed := 0
		bases := map[*gosarif.ArtifactLocation]bool{}
		for _, b := range run.OriginalUriBaseIDs {
			bases[b] = true
		}
		sarif.Walk(run, func(v any) {
			al, ok := v.(*gosarif.ArtifactLocation)
			if !ok || al.URI == nil || bases[al] {
				return
			}
			rel, ok := rb.rebase(*al.URI, deref(al.URIBaseId))
			if !ok {
				return
			}
			al.URI = &rel
			al.URIBaseId = nil
			if baseID != "" {
				id := baseID
				al.URIBaseId = &id
			}
			changed++
		})
		raw := l.RawResults(run)
		counts := make([]int, len(raw))
		err := forEach(len(raw), func(_, i int) error {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			r, err := raw[i].Rewrite(func(o sarif.RawObject) {
				if o.Kind() != "artifactLocation" {
					return
				}
				uri, ok := o.String("uri")
				if !ok {
					return
				}
				base, _ := o.String("uriBaseId")
				rel, ok := rb.rebase(uri, base)
				if !ok {
					return
				}
				o.Set("uri", rel)
				if baseID != "" {
					o.Set("uriBaseId", baseID)
				} else {
					o.Delete("uriBaseId")
				}
				counts[i]++
			})
			raw[i] = r
			return err
		})
		if err != nil {
			return n, err
		}
		for _, c := range counts {
			changed += c
		}
		if changed > 0 && baseID != "" {
			if run.OriginalUriBaseIDs == nil {
				run.OriginalUriBaseIDs = map[string]*gosarif.ArtifactLocation{}
			}
			if _, ok := run.OriginalUriBaseIDs[baseID]; !ok {
				u := root
				run.OriginalUriBaseIDs[baseID] = &gosarif.ArtifactLocation{URI: &u}
			}
		}
		n += changed
	}
	return n, nil
}

// rebaser rebases the URIs of one run.
type rebaser struct {
	run  *gosarif.Run
	root string // the directory's file: URI, with a trailing slash
}

// rebase returns the URI relative to the root of an artifactLocation's
// uri and uriBaseId when they resolve to a file: URI under it.
func (rb *rebaser) rebase(uri, baseID string) (string, bool) {
	uri = sarif.ResolveURI(uri, baseID, func(id string) (string, string, bool) {
		b := rb.run.OriginalUriBaseIDs[id]
		if b == nil || b.URI == nil {
			return "", "", false
		}
		return *b.URI, deref(b.URIBaseId), true
	})
	rel, ok := sarif.RelativePath(uri, rb.root)
	if !ok {
		return "", false
	}
	return (&url.URL{Path: rel}).String(), true
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

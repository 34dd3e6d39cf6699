package merge

import (
	"context"
	"fmt"
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
// root are left alone. Every artifactLocation is rebased: in the results
// (rewritten as text; results on disk as they are read, after one read
// that counts them) and in the rest of the run. It returns the number of
// URIs rewritten.
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
	for _, r := range l.Runs {
		if r == nil || r.Model == nil {
			continue
		}
		run := r.Model
		rb := &rebaser{arts: r.Artifacts(), root: root}
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
		rewrite := func(res sarif.Result) (sarif.Result, int, error) {
			count := 0
			res, err := res.Rewrite(func(o sarif.RawObject) {
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
				count++
			})
			return res, count, err
		}
		// One read counts the URIs (and finds the errors); the results
		// are rewritten, if any URI moves, by EditResults: at once in
		// memory, as they are read on disk.
		counts := make([]int, r.Len())
		err := r.EachResult(ctx, func(_, i int, res sarif.Result) error {
			_, n, err := rewrite(res)
			if err != nil {
				return fmt.Errorf("result %d: %w", i, err)
			}
			counts[i] = n
			return nil
		})
		inResults := 0
		for _, c := range counts {
			inResults += c
		}
		if err == nil && inResults > 0 {
			err = r.EditResults(ctx, func(_ int, res sarif.Result) (sarif.Result, error) {
				res, _, err := rewrite(res)
				return res, err
			})
		}
		if err != nil {
			return n, err
		}
		changed += inResults
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
	arts *sarif.Artifacts
	root string // the directory's file: URI, with a trailing slash
}

// rebase returns the URI relative to the root of an artifactLocation's
// uri and uriBaseId when they resolve to a file: URI under it.
func (rb *rebaser) rebase(uri, baseID string) (string, bool) {
	rel, ok := sarif.RelativePath(rb.arts.Resolve(uri, baseID), rb.root)
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

package merge

import (
	"net/url"
	"path"
	"path/filepath"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/sarif"
)

// RebaseURIs makes absolute file: URIs under dir relative to it, as GitHub
// needs repository-relative paths. With baseID, rebased locations get that
// uriBaseId and each run gets an originalUriBaseIds entry for it pointing
// at dir. URIs already relative, of another scheme, or outside dir are
// left alone. It returns the number of URIs rewritten.
func RebaseURIs(l *sarif.Log, dir, baseID string) (int, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return 0, err
	}
	root := strings.TrimSuffix(filepath.ToSlash(abs), "/") + "/"
	n := 0
	for _, run := range l.Report.Runs {
		if run == nil {
			continue
		}
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
			uri := sarif.ResolveURI(*al.URI, deref(al.URIBaseId), func(id string) (string, string, bool) {
				b := run.OriginalUriBaseIDs[id]
				if b == nil || b.URI == nil {
					return "", "", false
				}
				return *b.URI, deref(b.URIBaseId), true
			})
			u, err := url.Parse(uri)
			if err != nil || !strings.EqualFold(u.Scheme, "file") {
				return
			}
			p := path.Clean(u.Path)
			if !strings.HasPrefix(p+"/", root) || p+"/" == root {
				return
			}
			rel := (&url.URL{Path: strings.TrimPrefix(p, root)}).String()
			al.URI = &rel
			al.URIBaseId = nil
			if baseID != "" {
				id := baseID
				al.URIBaseId = &id
			}
			changed++
		})
		if changed > 0 && baseID != "" {
			if run.OriginalUriBaseIDs == nil {
				run.OriginalUriBaseIDs = map[string]*gosarif.ArtifactLocation{}
			}
			if _, ok := run.OriginalUriBaseIDs[baseID]; !ok {
				u := (&url.URL{Scheme: "file", Path: root}).String()
				run.OriginalUriBaseIDs[baseID] = &gosarif.ArtifactLocation{URI: &u}
			}
		}
		n += changed
	}
	return n, nil
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

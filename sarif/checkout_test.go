package sarif_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// exists is FindCheckout's question, answered by fsys.
func exists(fsys fs.FS) func(string) bool {
	return func(p string) bool {
		info, err := fs.Stat(fsys, p)
		return err == nil && !info.IsDir()
	}
}

// ESLint's log names the files of express's lib/ by absolute URIs under
// /src/express, and says nothing of where that was. Against the files of
// a clone elsewhere, the checkout is inferred from the paths' longest
// tails that name files here; the log's own word, or the root given,
// comes first when it leads to files.
func TestFindCheckout(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	l, err := sarif.ReadFile(ctx, corpus.Path(t, "real", "eslint-express-lib.sarif"), nil)
	if err != nil {
		t.Fatal(err)
	}
	clone := fstest.MapFS{"README.md": {}, "lib/express.js": {}, "lib/application.js": {}, "lib/request.js": {},
		"lib/response.js": {}, "lib/utils.js": {}, "lib/view.js": {}, "lib/middleware/init.js": {}, "lib/middleware/query.js": {},
		"lib/router/index.js": {}, "lib/router/layer.js": {}, "lib/router/route.js": {}, "test/app.js": {}}
	for _, c := range []struct {
		name  string
		root  string
		files fs.FS
		want  sarif.Checkout
	}{
		{"inferred", "", clone, sarif.Checkout{Root: "/src/express/", From: "inferred", Files: 11, Found: 11}},
		{"given elsewhere", "/home/u/express", clone, sarif.Checkout{Root: "/src/express/", From: "inferred", Files: 11, Found: 11}},
		{"given, the log's", "file:///src/express/", clone, sarif.Checkout{Root: "/src/express/", From: "given", Files: 11, Found: 11}},
		// A clone of lib/ alone: the tails are shorter.
		{"a subdirectory", "", mustSub(t, clone, "lib"), sarif.Checkout{Root: "/src/express/lib/", From: "inferred", Files: 11, Found: 11}},
		// Some files missing: those found still tell.
		{"partly", "", fstest.MapFS{"lib/express.js": {}, "lib/router/index.js": {}}, sarif.Checkout{Root: "/src/express/", From: "inferred", Files: 11, Found: 2}},
		{"nothing found", "", fstest.MapFS{"main.go": {}}, sarif.Checkout{Files: 11}},
		// Two directories as likely: none is chosen.
		{"unclear", "", fstest.MapFS{"express/lib/express.js": {}, "router/index.js": {}}, sarif.Checkout{Files: 11}},
	} {
		got, err := sarif.FindCheckout(ctx, l, c.root, exists(c.files))
		if err != nil || got != c.want {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}

	// The run says where: originalUriBaseIds wins over inference.
	said := sariftestParse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"eslint"}},
	  "originalUriBaseIds":{"SRCROOT":{"uri":"file:///srv/scan/app/"}},
	  "results":[
	    {"message":{"text":"a"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"lib/a.js","uriBaseId":"SRCROOT"}}}]},
	    {"message":{"text":"b"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///srv/scan/app/lib/b.js"}}}]},
	    {"message":{"text":"c"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"https://example.com/x.js"}}}]},
	    {"message":{"text":"d"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/rel.js"}}}]}]}]}`)
	got, err := sarif.FindCheckout(ctx, said, "", exists(fstest.MapFS{"lib/a.js": {}, "lib/b.js": {}, "app/lib/a.js": {}, "src/rel.js": {}}))
	if want := (sarif.Checkout{Root: "/srv/scan/app/", From: "originalUriBaseIds SRCROOT", Files: 3, Found: 3}); err != nil || got != want {
		t.Errorf("declared: %+v, %v; want %+v", got, err, want)
	}
	// Relative URIs alone need no checkout.
	got, err = sarif.FindCheckout(ctx, sariftestParse(t, `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[
	    {"message":{"text":"d"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/rel.js"}}}]}]}]}`), "", exists(fstest.MapFS{}))
	if want := (sarif.Checkout{Files: 1}); err != nil || got != want {
		t.Errorf("relative: %+v, %v; want %+v", got, err, want)
	}
}

func mustSub(t *testing.T, fsys fs.FS, dir string) fs.FS {
	t.Helper()
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func sariftestParse(t *testing.T, s string) *sarif.Log {
	t.Helper()
	l, err := sarif.Read(t.Context(), strings.NewReader(s), "test.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

package sarif_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sarifkit/sarifkit/sarif"
)

// gatherFS is a file system that counts the files open at once: each
// Open waits (a little) for the others that may come, so that workers
// free to read at once are seen at once.
type gatherFS struct {
	fstest.MapFS
	mu         sync.Mutex
	open, peak int
}

func (g *gatherFS) Open(name string) (fs.File, error) {
	f, err := g.MapFS.Open(name)
	if err != nil || name == "." {
		return f, err
	}
	g.mu.Lock()
	g.open++
	g.peak = max(g.peak, g.open)
	g.mu.Unlock()
	time.Sleep(50 * time.Millisecond) // not an assert: time for others to come
	return &gatherFile{f, g}, nil
}

func (g *gatherFS) Stat(name string) (fs.FileInfo, error) { return g.MapFS.Stat(name) }

type gatherFile struct {
	fs.File
	g *gatherFS
}

func (f *gatherFile) Close() error {
	f.g.mu.Lock()
	f.g.open--
	f.g.mu.Unlock()
	return f.File.Close()
}

// Line hashes are computed from files read within a budget of bytes in
// flight, whatever the number of workers: eight files of 24 MiB on eight
// workers are read two at a time, not eight.
func TestAddLineHashesInFlightBounded(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	data := bytes.Repeat([]byte("\tx := compute(a, b) // line\n"), (24<<20)/28)
	g := &gatherFS{MapFS: fstest.MapFS{}}
	var rs []string
	for i := range 8 {
		p := fmt.Sprintf("f%d.go", i)
		g.MapFS[p] = &fstest.MapFile{Data: data}
		rs = append(rs, fmt.Sprintf(`{"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":%q},"region":{"startLine":3}}}]}`, p))
	}
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[` + strings.Join(rs, ",") + `]}]}`
	l, err := sarif.Read(context.Background(), strings.NewReader(log), "x.sarif", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	st, err := sarif.AddLineHashesFrom(t.Context(), l, g, "")
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 8 {
		t.Errorf("%d hashes added, want 8", st.Added)
	}
	if g.peak > 2 {
		t.Errorf("%d files of 24 MiB read at once, want at most 2 (64 MiB in flight)", g.peak)
	}
}

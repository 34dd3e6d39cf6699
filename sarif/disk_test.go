package sarif_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/sarifkit/sarifkit/internal/corpus"
	"github.com/sarifkit/sarifkit/sarif"
)

// diskFiles are the logs the on-disk tests read: the corpus and the
// fixtures that read.
func diskFiles(t *testing.T) []string {
	files := corpus.Files(t, "real")
	for _, pattern := range []string{"../testdata/valid/*.sarif", "../testdata/roundtrip/*.sarif", "../testdata/invalid/*.sarif", "../testdata/diff/*.sarif"} {
		more, _ := filepath.Glob(pattern)
		files = append(files, more...)
	}
	return files
}

// writeLog writes l compact and indented.
func writeLog(t *testing.T, l *sarif.Log) [2][]byte {
	t.Helper()
	var out [2][]byte
	for i, indent := range []string{"", "  "} {
		var b bytes.Buffer
		if err := l.Write(&b, &sarif.WriteOptions{Indent: indent}); err != nil {
			t.Fatalf("write: %v", err)
		}
		out[i] = b.Bytes()
	}
	return out
}

// variants returns the text of a log in the shapes that read differently
// from disk: as it is, behind a byte order mark, pretty-printed with CRLF
// line ends, gzip-compressed (read back from a temporary file).
func variants(t *testing.T, text []byte) map[string][]byte {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(text)
	zw.Close()
	var spaced bytes.Buffer
	if err := json.Indent(&spaced, text, "", " \t"); err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"plain":  text,
		"bom":    append([]byte("\xEF\xBB\xBF"), text...),
		"spaced": bytes.ReplaceAll(spaced.Bytes(), []byte("\n"), []byte("\r\n")),
		"gzip":   gz.Bytes(),
	}
}

// TestResultsOnDiskReadTheSame reads every log in memory and with its
// results on disk, in each variant, from a file and from a stream: Len,
// Result, EachResult, Load and writing give the same results and the same
// bytes; temporary files are removed from their directory at once where
// the system allows (they live while open), else when the log is closed.
func TestResultsOnDiskReadTheSame(t *testing.T) {
	ctx := t.Context()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", filepath.Join(tmp, "spill"))
	os.Mkdir(filepath.Join(tmp, "spill"), 0o755)
	compared := 0
	for _, f := range diskFiles(t) {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mem, err := sarif.ReadFile(ctx, f, nil)
		if err != nil {
			continue // a log the reader refuses: TestResultsOnDiskErrors
		}
		want := writeLog(t, mem)
		for name, v := range variants(t, text) {
			path := filepath.Join(tmp, filepath.Base(f)+"."+name)
			if err := os.WriteFile(path, v, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, how := range []string{"file", "stream"} {
				what := filepath.Base(f) + " " + name + " " + how
				var disk *sarif.Log
				opts := &sarif.ReadOptions{ResultsOnDisk: true}
				if how == "file" {
					disk, err = sarif.ReadFile(ctx, path, opts)
				} else {
					disk, err = sarif.Read(ctx, bytes.NewReader(v), "stream", opts)
				}
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				if left, _ := os.ReadDir(filepath.Join(tmp, "spill")); runtime.GOOS != "windows" && len(left) > 0 {
					t.Fatalf("%s: a temporary file is in the directory while the log is open: %v", what, left)
				}
				if got := writeLog(t, disk); !bytes.Equal(got[0], want[0]) || !bytes.Equal(got[1], want[1]) {
					t.Errorf("%s: written differently with results on disk", what)
				}
				for ri, run := range disk.Runs {
					memRun := mem.Runs[ri]
					if run.Len() != len(sarif.InMemory(memRun)) || len(sarif.InMemory(run)) != 0 || sarif.OnDisk(run) != (len(sarif.InMemory(memRun)) > 0) {
						t.Fatalf("%s: run %d: Len %d, %d in memory, OnDisk %v; want %d on disk", what, ri, run.Len(), len(sarif.InMemory(run)), sarif.OnDisk(run), len(sarif.InMemory(memRun)))
					}
					var mu sync.Mutex
					seen := 0
					if err := run.EachResult(ctx, func(_, i int, r sarif.Result) error {
						one, err := run.Result(i)
						mu.Lock()
						defer mu.Unlock()
						seen++
						if err != nil || !bytes.Equal(r, sarif.InMemory(memRun)[i]) || !bytes.Equal(one, sarif.InMemory(memRun)[i]) {
							t.Errorf("%s: run %d result %d: EachResult %q, Result %q (%v), want %q", what, ri, i, r, one, err, sarif.InMemory(memRun)[i])
						}
						return nil
					}); err != nil || seen != run.Len() {
						t.Fatalf("%s: EachResult: %v, %d of %d results", what, err, seen, run.Len())
					}
					compared += seen
				}
				if err := disk.Load(ctx); err != nil {
					t.Fatalf("%s: Load: %v", what, err)
				}
				for ri, run := range disk.Runs {
					if sarif.OnDisk(run) || len(sarif.InMemory(run)) != len(sarif.InMemory(mem.Runs[ri])) {
						t.Fatalf("%s: run %d not loaded", what, ri)
					}
				}
				if got := writeLog(t, disk); !bytes.Equal(got[0], want[0]) {
					t.Errorf("%s: written differently once loaded", what)
				}
				if left, _ := os.ReadDir(filepath.Join(tmp, "spill")); len(left) > 0 {
					t.Fatalf("%s: %d temporary files left after Load", what, len(left))
				}
			}
		}
	}
	if compared < 10000 {
		t.Errorf("only %d results compared", compared)
	}
}

// TestResultsOnDiskInvalidUTF8 checks that results with bytes that are
// not UTF-8 read from disk as they read in memory: with U+FFFD.
func TestResultsOnDiskInvalidUTF8(t *testing.T) {
	ctx := t.Context()
	text := []byte("{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"t\"}},\"results\":[{\"message\":{\"text\":\"a\xff b\"}}, {\"message\":{\"text\":\"ok\"}}]}]}")
	path := filepath.Join(t.TempDir(), "bad.sarif")
	os.WriteFile(path, text, 0o644)
	mem, err := sarif.ReadFile(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	disk, err := sarif.ReadFile(ctx, path, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer disk.Close()
	for i := range 2 {
		r, err := disk.Runs[0].Result(i)
		if err != nil || !bytes.Equal(r, sarif.InMemory(mem.Runs[0])[i]) {
			t.Errorf("result %d: %q (%v), want %q", i, r, err, sarif.InMemory(mem.Runs[0])[i])
		}
	}
	if r, _ := disk.Runs[0].Result(0); !strings.Contains(string(r), "a\uFFFD b") {
		t.Errorf("result 0 = %q, want U+FFFD in place of the byte", r)
	}
	if n, _ := disk.InvalidUTF8(); n != 1 {
		t.Errorf("InvalidUTF8 = %d, want 1", n)
	}
}

// TestResultsOnDiskEdits checks EditResults on disk against the same
// edits in memory, results added after those on disk, and the error of an
// edit.
func TestResultsOnDiskEdits(t *testing.T) {
	ctx := t.Context()
	f := corpus.Path(t, "real", "gosec-gin-v1.10.0.sarif")
	edit := func(i int, r sarif.Result) (sarif.Result, error) { return r.Set("rank", i) }
	var out [2][2][]byte
	for k, opts := range []*sarif.ReadOptions{nil, {ResultsOnDisk: true}} {
		l, err := sarif.ReadFile(ctx, f, opts)
		if err != nil {
			t.Fatal(err)
		}
		run := l.Runs[0]
		n := run.Len()
		run.AppendResults(sarif.Result(`{"message":{"text":"added"}}`))
		if err := run.EditResults(ctx, edit); err != nil {
			t.Fatal(err)
		}
		if err := run.EditResults(ctx, func(_ int, r sarif.Result) (sarif.Result, error) { return r.Set("kind", "fail") }); err != nil {
			t.Fatal(err)
		}
		if run.Len() != n+1 {
			t.Fatalf("Len = %d, want %d", run.Len(), n+1)
		}
		last, err := run.Result(n)
		if err != nil || string(last) != `{"message":{"text":"added"},"rank":`+itoa(n)+`,"kind":"fail"}` {
			t.Errorf("added result = %s (%v)", last, err)
		}
		out[k] = writeLog(t, l)
		l.Close()
	}
	if !bytes.Equal(out[0][0], out[1][0]) || !bytes.Equal(out[0][1], out[1][1]) {
		t.Error("edits on disk and in memory write differently")
	}
	if !bytes.Contains(out[1][0], []byte(`"rank":3,"kind":"fail"`)) {
		t.Error("the edits are not in the output")
	}

	l, err := sarif.ReadFile(ctx, f, &sarif.ReadOptions{ResultsOnDisk: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	boom := errors.New("boom")
	l.Runs[0].EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) {
		if i == 2 {
			return nil, boom
		}
		return r, nil
	})
	if err := l.Write(&bytes.Buffer{}, nil); !errors.Is(err, boom) {
		t.Errorf("writing with a failing edit: %v, want boom", err)
	}
}

func itoa(n int) string {
	b, _ := (sarif.Result(`{}`)).Set("n", n)
	return strings.TrimSuffix(strings.TrimPrefix(string(b), `{"n":`), "}")
}

// TestResultsOnDiskFileChanged checks that a file changed under a log
// whose results are on disk gives an error naming it, not wrong results.
func TestResultsOnDiskFileChanged(t *testing.T) {
	ctx := t.Context()
	text, err := os.ReadFile(corpus.Path(t, "real", "gosec-gin-v1.10.0.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	// A message gains a letter, its member a space less: the same size.
	sameSize := bytes.Replace(text, []byte(`"text": "`), []byte(`"text":"X`), 1)
	if len(sameSize) != len(text) || bytes.Equal(sameSize, text) {
		t.Fatal("the same-size change did not apply")
	}
	for name, change := range map[string][]byte{
		"truncated": text[:len(text)/10],
		"shifted":   append([]byte("  "), text...),
		"same size": sameSize,
	} {
		path := filepath.Join(t.TempDir(), "log.sarif")
		os.WriteFile(path, text, 0o644)
		l, err := sarif.ReadFile(ctx, path, &sarif.ReadOptions{ResultsOnDisk: true})
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(path, change, 0o644) // in place: the same file
		err = l.Write(&bytes.Buffer{}, nil)
		var ie *sarif.InputError
		if !errors.As(err, &ie) || ie.File != path || !strings.Contains(err.Error(), "changed") {
			t.Errorf("%s: writing: %v, want an *InputError naming %s", name, err, path)
		}
		l.Close()
	}
}

// TestResultsOnDiskErrors checks that a log the reader refuses gives the
// error reading in memory gives, and that no temporary file is left.
func TestResultsOnDiskErrors(t *testing.T) {
	ctx := t.Context()
	spill := t.TempDir()
	t.Setenv("TMPDIR", spill)
	for _, f := range corpus.Files(t, "invalid") {
		_, memErr := sarif.ReadFile(ctx, f, nil)
		text, _ := os.ReadFile(f)
		l1, diskErr := sarif.Read(ctx, bytes.NewReader(text), f, &sarif.ReadOptions{ResultsOnDisk: true})
		l2, fileErr := sarif.ReadFile(ctx, f, &sarif.ReadOptions{ResultsOnDisk: true})
		if diskErr == nil {
			l1.Close()
		}
		if fileErr == nil {
			l2.Close()
		}
		if (memErr == nil) != (diskErr == nil) || memErr != nil && (memErr.Error() != diskErr.Error() || memErr.Error() != fileErr.Error()) {
			t.Errorf("%s: in memory %v, on disk %v and %v", filepath.Base(f), memErr, diskErr, fileErr)
		}
	}
	if left, _ := os.ReadDir(spill); len(left) > 0 {
		t.Errorf("%d temporary files left: %v", len(left), left)
	}
}

// TestResultsOnDiskLineHashes adds line hashes from a checkout to logs
// read in memory and with their results on disk: the same stats, and
// the same results once written (on disk they are added as results are
// read).
func TestResultsOnDiskLineHashes(t *testing.T) {
	ctx := t.Context()
	// gosec's URIs are relative to gin's folder, golangci-lint's to its
	// parent.
	for name, checkout := range map[string]string{
		"gosec-gin-v1.10.0.sarif":         "../testdata/diff/gin-v1.10.0/gin",
		"golangci-lint-gin-v1.10.0.sarif": "../testdata/diff/gin-v1.10.0",
	} {
		f := corpus.Path(t, "real", name)
		var out [2][]byte
		var stats [2]sarif.FingerprintStats
		for k, opts := range []*sarif.ReadOptions{nil, {ResultsOnDisk: true}} {
			l, err := sarif.ReadFile(ctx, f, opts)
			if err != nil {
				t.Fatal(err)
			}
			if stats[k], err = sarif.AddLineHashes(ctx, l, checkout); err != nil {
				t.Fatal(err)
			}
			if k == 1 && !sarif.OnDisk(l.Runs[0]) {
				t.Errorf("%s: AddLineHashes brought the results into memory", name)
			}
			out[k] = writeLog(t, l)[0]
			l.Close()
		}
		if stats[0] != stats[1] || stats[0].Added == 0 {
			t.Errorf("%s: stats in memory %+v, on disk %+v", name, stats[0], stats[1])
		}
		if !bytes.Equal(out[0], out[1]) {
			t.Errorf("%s: line hashes written differently with results on disk", name)
		}
	}
}

// TestTakeResultsKeepsEdits moves some of a run's results, edited by
// their index, into another run, twice, in memory and on disk: the edits
// still see the index each result had when it was edited, results on disk
// stay there, and both ways write the same log.
func TestTakeResultsKeepsEdits(t *testing.T) {
	ctx := t.Context()
	f := corpus.Path(t, "real", "gosec-gin-v1.10.0.sarif")
	var out [2][]byte
	for k, opts := range []*sarif.ReadOptions{nil, {ResultsOnDisk: true}} {
		l, err := sarif.ReadFile(ctx, f, opts)
		if err != nil {
			t.Fatal(err)
		}
		src := l.Runs[0]
		n := src.Len()
		if err := src.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) { return r.Set("rank", i) }); err != nil {
			t.Fatal(err)
		}
		keep := make([]bool, n)
		for i := range keep {
			keep[i] = i%3 != 1
		}
		dst := sarif.NewRun("moved")
		if err := dst.TakeResults(ctx, src, keep); err != nil {
			t.Fatal(err)
		}
		if src.Len() != 0 || k == 1 && !sarif.OnDisk(dst) {
			t.Fatalf("after TakeResults: %d left in src, on disk %v", src.Len(), sarif.OnDisk(dst))
		}
		// A second edit sees the indices in dst, the first those in src.
		if err := dst.EditResults(ctx, func(i int, r sarif.Result) (sarif.Result, error) { return r.Set("occurrenceCount", i+1) }); err != nil {
			t.Fatal(err)
		}
		// Keeping all but the first of dst in dst shifts them again.
		again := make([]bool, dst.Len())
		for i := range again {
			again[i] = i > 0
		}
		if err := dst.TakeResults(ctx, dst, again); err != nil {
			t.Fatal(err)
		}
		if k == 1 && !sarif.OnDisk(dst) {
			t.Fatal("the results on disk were read into memory")
		}
		for i, want := range []string{`"rank":2,"occurrenceCount":2}`, `"rank":3,"occurrenceCount":3}`, `"rank":5,"occurrenceCount":4}`} {
			r, err := dst.Result(i)
			if err != nil || !strings.HasSuffix(string(r), want) {
				t.Errorf("result %d = %s (%v), want it to end %s", i, r, err, want)
			}
		}
		l.Runs = []*sarif.Run{dst}
		out[k] = writeLog(t, l)[0]
		l.Close()
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("moving edited results on disk and in memory write differently")
	}
}

package sarif_test

import (
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

// chain is n originalUriBaseIds, B0 = file:///root/ and each Bi = "di/"
// relative to B(i-1), and n artifacts likewise nested, each in the one
// before.
func chain(n int) *sarif.Artifacts {
	bases := map[string]sarif.BaseEntry{"B0": {URI: "file:///root/"}}
	entries := []sarif.ArtifactEntry{{URI: "file:///root/", Parent: -1}}
	for i := 1; i < n; i++ {
		bases["B"+strconv.Itoa(i)] = sarif.BaseEntry{URI: "d" + strconv.Itoa(i) + "/", BaseID: "B" + strconv.Itoa(i-1)}
		entries = append(entries, sarif.ArtifactEntry{URI: "d" + strconv.Itoa(i) + "/", Parent: i - 1})
	}
	return sarif.NewArtifacts(entries, bases)
}

// Chains of bases and of nested artifacts resolve as they did, at the cost
// of one join per URI however long the chain: each base is resolved once.
// Past what no real log reaches (a base resolved to more than 8 KiB, an
// artifact nested 64 deep) they are cut.
func TestResolveChains(t *testing.T) {
	a := chain(4000)
	if got := a.Resolve("f.go", "B3"); got != "file:///root/d1/d2/d3/f.go" {
		t.Errorf("Resolve through 3 bases: %s", got)
	}
	if got, _ := a.Artifact(3); got != "file:///root/d1/d2/d3/" {
		t.Errorf("Artifact(3): %s", got)
	}
	deep := "file:///root/" + func() string {
		var b strings.Builder
		for i := 1; i <= 1000; i++ {
			b.WriteString("d" + strconv.Itoa(i) + "/")
		}
		return b.String()
	}()
	if got := a.Resolve("f.go", "B1000"); got != deep+"f.go" {
		t.Errorf("Resolve through 1000 bases: %.80s...", got)
	}
	if got := a.Resolve("f.go", "B3999"); strings.HasPrefix(got, "file:") || len(got) > 8<<10+10 {
		t.Errorf("a base resolved to more than 8 KiB is unknown, and the chain is cut there: %.80s", got)
	}
	if got, _ := a.Artifact(3999); strings.Count(got, "/") > 70 {
		t.Errorf("an artifact 4000 deep is followed %d links", strings.Count(got, "/"))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range 1000 {
		a.Resolve("f"+strconv.Itoa(i)+".go", "B1000")
		a.Artifact(3000 + i%10)
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 32<<20 {
		t.Errorf("resolving 1000 URIs through 1000 bases allocated %d MiB", n>>20)
	}
}

func BenchmarkResolveChain(b *testing.B) {
	a := chain(1000)
	for b.Loop() {
		a.Resolve("f.go", "B999")
	}
}

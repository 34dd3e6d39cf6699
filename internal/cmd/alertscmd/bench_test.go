package alertscmd

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sarifkit/sarifkit/internal/clitest"
	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// BenchmarkOrg lists (as CSV) and reports the alerts of a generated
// organization of 200 repositories and 100,000 alerts (10,000 with
// -short), served over loopback by the fake a page of 100 at a time. It
// reports the requests made and the peak heap in use (sampled), which
// stays flat however many alerts there are: they stream.
func BenchmarkOrg(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	for _, c := range []struct {
		name string
		args []string
	}{
		{"list-csv", []string{"list", "--org", "gen", "--format", "csv"}},
		{"report", []string{"report", "--org", "gen", "--format", "html"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			f := fakegithub.New(b)
			f.Generated, f.GeneratedRepos = n, 200
			env := clitest.Env{Vars: map[string]string{"GH_TOKEN": f.Token, "GITHUB_API_URL": f.URL}}
			out := filepath.Join(b.TempDir(), "out")
			var peak uint64
			done := make(chan struct{})
			go func() {
				var ms runtime.MemStats
				for {
					select {
					case <-done:
						return
					case <-time.After(5 * time.Millisecond):
						runtime.ReadMemStats(&ms)
						peak = max(peak, ms.HeapInuse)
					}
				}
			}()
			for b.Loop() {
				before := len(f.Log())
				r := clitest.Run(b, Run, env, append(c.args, "-o", out)...)
				if r.Code != 0 {
					b.Fatalf("exit %d: %s", r.Code, r.Stderr)
				}
				pages := 0
				for _, l := range f.Log()[before:] {
					if strings.HasPrefix(l, "GET /orgs/gen/") {
						pages++
					}
				}
				if pages != n/100 {
					b.Fatalf("%d requests for %d alerts, want %d", pages, n, n/100)
				}
				b.ReportMetric(float64(pages), "requests")
			}
			close(done)
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

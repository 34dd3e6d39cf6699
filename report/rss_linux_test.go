//go:build linux

package report_test

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// maxRSSRatio is the most memory a format may take, as a multiple of its
// input's size.
const maxRSSRatio = 1.5

// BenchmarkReportMemory renders a generated 100,000-result log (56 MB;
// 10,000 with -short) in each format, each in a process of its own, as
// the command reads it (results on disk), and reports the process's
// peak resident memory per byte of input (rss/B). A format over
// maxRSSRatio fails: the report streams, it does not hold the log's
// results (it held 4.4 to 5.7 times its input before it streamed).
func BenchmarkReportMemory(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	name := generated(b, n)
	st, err := os.Stat(name)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range formats {
		b.Run(f.name, func(b *testing.B) {
			var peak int64
			for b.Loop() {
				cmd := exec.Command(os.Args[0])
				cmd.Env = append(os.Environ(), renderChild+"="+f.name+" "+name)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				peak = max(peak, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss*1024) // KiB on Linux
			}
			ratio := float64(peak) / float64(st.Size())
			b.ReportMetric(ratio, "rss/B")
			b.ReportMetric(float64(peak)/(1<<20), "MiB")
			if !testing.Short() && ratio > maxRSSRatio {
				b.Errorf("%s: peak RSS %d MiB for %d MiB of input: %.2f times, over %.1f", f.name, peak>>20, st.Size()>>20, ratio, maxRSSRatio)
			}
		})
	}
}

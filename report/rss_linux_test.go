//go:build linux

package report_test

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// peakRSS returns the process's peak resident memory in bytes, VmHWM of
// /proc/self/status, or 0. (The rusage of a child is no measure: Linux
// counts in it the parent's memory at the fork.)
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

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
				cmd.Stderr = os.Stderr
				out, err := cmd.Output()
				if err != nil {
					b.Fatalf("%v: %s", err, out)
				}
				n, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
				if err != nil || n <= 0 {
					b.Fatalf("the child's peak RSS: %q", out)
				}
				peak = max(peak, n)
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

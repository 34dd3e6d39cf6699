package report_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"
)

// renderChild is the environment variable that makes the test binary a
// child of BenchmarkReportMemory: "FORMAT LOG" renders LOG in FORMAT,
// prints its peak resident memory (see peakRSS) and exits.
const renderChild = "SARIFKIT_REPORT_RENDER_CHILD"

func TestMain(m *testing.M) {
	if v := os.Getenv(renderChild); v != "" {
		var format, name string
		if _, err := fmt.Sscan(v, &format, &name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := renderFile(context.Background(), io.Discard, name, format); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(peakRSS())
		os.Exit(0)
	}
	code := m.Run()
	closeShared() // the tests' Chromium
	os.Exit(code)
}

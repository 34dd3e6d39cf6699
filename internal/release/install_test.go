package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// rewriteArchive returns a copy of the .tar.gz data without the members
// drop says to drop, and with links extra (names under the archive's top
// directory) to sarifkit added.
func rewriteArchive(t *testing.T, data []byte, drop func(*tar.Header) bool, extra ...string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tr := tar.NewReader(zr)
	top := ""
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		dropped := drop(h)
		if top == "" {
			top = h.Name
		}
		if dropped {
			continue
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(tw, tr); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range extra {
		tw.WriteHeader(&tar.Header{Name: top + name, Typeflag: tar.TypeSymlink, Linkname: "sarifkit", Mode: 0o777})
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// sumsLine is a SHA256SUMS line for data named name.
func sumsLine(data []byte, name string) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) + "  " + name + "\n"
}

// installed lists the names in dir.
func installed(t *testing.T, dir string) []string {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// install.sh's exit status tells an integrity failure (4: the archive
// does not match SHA256SUMS, is missing from it, SHA256SUMS has a CRLF or
// uppercase or conflicting line for it, a member is outside the top
// directory) from a release that cannot be had (1), and installs
// nothing either way. A version with a newline is not a version; -h
// prints the usage on stdout.
func TestInstallExitStatus(t *testing.T) {
	files := releaseFiles(t)
	name := archiveName()
	nameOf := func(v string) string { return strings.Replace(name, testVersion[1:], v[1:], 1) }
	line := strings.TrimSuffix(sumsLine(files[name], name), "\n")
	digest, _, _ := strings.Cut(line, "  ")
	tampered := bytes.Clone(files[name])
	tampered[len(tampered)/2] ^= 1
	evil := evilArchive(t, strings.TrimSuffix(nameOf("v0.0.3"), ".tar.gz"))
	archive8 := rewriteArchive(t, files[name], func(h *tar.Header) bool {
		h.Name = strings.Replace(h.Name, testVersion[1:], "0.0.8", 1)
		return false
	})
	digest8, _, _ := strings.Cut(sumsLine(archive8, ""), " ")
	release := func(v string, sums string, archive []byte) map[string][]byte {
		return map[string][]byte{"SHA256SUMS": []byte(sums), nameOf(v): archive}
	}
	base := releaseServer(t, testVersion, map[string]map[string][]byte{
		"v0.0.1": release("v0.0.1", digest+"  "+nameOf("v0.0.1")+"\n", tampered),
		"v0.0.2": release("v0.0.2", digest+"  sarifkit_0.0.2_plan9_mips.tar.gz\n", files[name]),
		"v0.0.3": release("v0.0.3", sumsLine(evil, nameOf("v0.0.3")), evil),
		"v0.0.4": {"SHA256SUMS": []byte(digest + "  " + nameOf("v0.0.4") + "\n")},
		"v0.0.5": release("v0.0.5", digest+"  "+nameOf("v0.0.5")+"\r\n", files[name]),
		"v0.0.6": release("v0.0.6", strings.ToUpper(digest)+"  "+nameOf("v0.0.6")+"\n", files[name]),
		"v0.0.7": release("v0.0.7", digest+"  "+nameOf("v0.0.7")+"\n"+strings.Repeat("0", 64)+"  "+nameOf("v0.0.7")+"\n", files[name]),
		"v0.0.8": release("v0.0.8", digest8+"  "+nameOf("v0.0.8")+"\n"+digest8+" *"+nameOf("v0.0.8")+"\n", archive8),
	})
	for _, tc := range []struct {
		version string
		code    int
		want    string
	}{
		{"v0.0.1", 4, "SHA256SUMS says " + digest + ": not installed"},
		{"v0.0.2", 4, "release v0.0.2 has no " + nameOf("v0.0.2") + " in its SHA256SUMS"},
		{"v0.0.3", 4, "members outside"},
		{"v0.0.4", 1, "cannot download " + base + "/v0.0.4/" + nameOf("v0.0.4")},
		{"v0.0.5", 4, "SHA256SUMS has no valid line for " + nameOf("v0.0.5")},
		{"v0.0.6", 4, "SHA256SUMS has no valid line for " + nameOf("v0.0.6")},
		{"v0.0.7", 4, "SHA256SUMS has conflicting lines for " + nameOf("v0.0.7")},
		{"v0.0.8", 0, "installed sarifkit v0.0.8"}, // the same digest twice
		{"v9.9.9", 1, "no release v9.9.9 there"},
		{testVersion + "\n" + testVersion, 1, "is not latest nor vMAJOR.MINOR.PATCH"},
	} {
		dir := filepath.Join(t.TempDir(), "bin")
		code, out := install(t, "sh", "", "-b", dir, "-u", base, tc.version)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%q: exit %d, want %d and %q:\n%s", tc.version, code, tc.code, tc.want, out)
		}
		if left, _ := os.ReadDir(dir); tc.code != 0 && len(left) != 0 {
			t.Errorf("%q: installed %v", tc.version, left)
		}
	}

	cmd := exec.Command("sh", "../../install.sh", "-h")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || !strings.HasPrefix(stdout.String(), "usage: install.sh [-b BINDIR]") || stderr.Len() != 0 {
		t.Errorf("install.sh -h: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
}

// Names in the archive that are not sarif-[a-z]+ ("sarif-a b",
// "sarif-*") are skipped, neither split nor expanded; an archive with no
// sarif-* links installs sarifkit alone and says so; a sarif-VERB in
// BINDIR that is a link to a directory is refused, the directory left
// alone; a TMPDIR with a backslash and a space works.
func TestInstallNames(t *testing.T) {
	files := releaseFiles(t)
	name := archiveName()
	nameOf := func(v string) string { return strings.Replace(name, testVersion[1:], v[1:], 1) }
	rename := func(h *tar.Header, v string) {
		h.Name = strings.Replace(h.Name, testVersion[1:], v[1:], 1)
	}
	odd := rewriteArchive(t, files[name], func(h *tar.Header) bool { rename(h, "v0.0.1"); return false }, "sarif-a b", "sarif-*", "sarif-X")
	none := rewriteArchive(t, files[name], func(h *tar.Header) bool { rename(h, "v0.0.2"); return h.Typeflag == tar.TypeSymlink })
	base := releaseServer(t, testVersion, map[string]map[string][]byte{
		testVersion: files,
		"v0.0.1":    {"SHA256SUMS": []byte(sumsLine(odd, nameOf("v0.0.1"))), nameOf("v0.0.1"): odd},
		"v0.0.2":    {"SHA256SUMS": []byte(sumsLine(none, nameOf("v0.0.2"))), nameOf("v0.0.2"): none},
	})
	_, hdrs := readTarGz(t, files[name])
	want := []string{"sarifkit"}
	for _, h := range hdrs {
		if h.Typeflag == tar.TypeSymlink {
			want = append(want, filepath.Base(h.Name))
		}
	}
	slices.Sort(want)

	dir := filepath.Join(t.TempDir(), "bin")
	code, out := install(t, "sh", "", "-b", dir, "-u", base, "v0.0.1")
	if got := installed(t, dir); code != 0 || !slices.Equal(got, want) || !strings.Contains(out, "skipped sarif-a?b: not a sarif-VERB name") {
		t.Errorf("odd names: exit %d, installed %q, want %q\n%s", code, got, want, out)
	}

	dir = filepath.Join(t.TempDir(), "bin")
	code, out = install(t, "sh", "", "-b", dir, "-u", base, "v0.0.2")
	if got := installed(t, dir); code != 0 || !slices.Equal(got, []string{"sarifkit"}) || !strings.Contains(out, "the archive has no sarif-* names") {
		t.Errorf("no links: exit %d, installed %q\n%s", code, got, out)
	}

	dir = filepath.Join(t.TempDir(), "bin")
	foreign := t.TempDir()
	os.MkdirAll(dir, 0o755)
	os.Symlink(foreign, filepath.Join(dir, "sarif-diff"))
	code, out = install(t, "sh", "", "-b", dir, "-u", base, testVersion)
	if got := installed(t, dir); code != 1 || !slices.Equal(got, []string{"sarif-diff"}) || !strings.Contains(out, "sarif-diff is a directory or a link to one") {
		t.Errorf("a link to a directory: exit %d, installed %q\n%s", code, got, out)
	}
	if left, _ := os.ReadDir(foreign); len(left) != 0 {
		t.Errorf("install.sh wrote %v into the directory a link pointed at", left)
	}

	tmp := filepath.Join(t.TempDir(), `t\mp x`)
	os.Mkdir(tmp, 0o700)
	dir = filepath.Join(t.TempDir(), "bin")
	cmd := exec.Command("sh", "../../install.sh", "-b", dir, "-u", base, testVersion)
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("TMPDIR %q: %v\n%s", tmp, err, out)
	} else {
		checkInstalled(t, dir)
	}
}

// A host that stops sending ends the download (exit 1, nothing
// installed) within the stall limit and retries, with curl and with
// wget; SARIFKIT_INSTALL_STALL_SECONDS=1 stands in for the 30 s.
func TestInstallStalledHost(t *testing.T) {
	files := releaseFiles(t)
	name := archiveName()
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/SHA256SUMS") {
			w.Write(files["SHA256SUMS"])
			return
		}
		w.Header().Set("Content-Length", "1000000")
		w.Write(files[name][:100])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) })
	paths := map[string]string{"curl": os.Getenv("PATH")}
	if noCurl := withoutCurl(t); noCurl != "" {
		paths["wget"] = noCurl
	}
	t.Run("", func(t *testing.T) { // the group ends before the server closes
		for fetcher, path := range paths {
			t.Run(fetcher, func(t *testing.T) {
				t.Parallel() // each waits on the stall limit and its retries, about 6 s
				// The test's own bound, far above the limits: a hang fails it.
				ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
				defer cancel()
				dir := filepath.Join(t.TempDir(), "bin")
				cmd := exec.CommandContext(ctx, "sh", "../../install.sh", "-b", dir, "-u", srv.URL, testVersion)
				cmd.Env = append(os.Environ(), "PATH="+path, "TMPDIR="+t.TempDir(), "SARIFKIT_INSTALL_STALL_SECONDS=1")
				cmd.WaitDelay = 5 * time.Second // the downloader, when sh is killed
				out, err := cmd.CombinedOutput()
				if ctx.Err() != nil || exitCode(err) != 1 || !strings.Contains(string(out), "cannot download "+srv.URL+"/"+testVersion+"/"+name) {
					t.Errorf("%s from a stalled host: %v (%v)\n%s", fetcher, err, ctx.Err(), out)
				}
				if _, err := os.Stat(dir); err == nil {
					t.Errorf("%s: %s made", fetcher, dir)
				}
			})
		}
	})
}

// install.sh is one function called on its last line: any prefix of it
// (a download cut short, piped into sh) does nothing.
func TestInstallTruncated(t *testing.T) {
	readSources(t)
	script, err := os.ReadFile("../../install.sh")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(script), "\n")
	if last := strings.TrimSpace(lines[len(lines)-2]); last != `main "$@"` || lines[len(lines)-1] != "" {
		t.Fatalf("install.sh's last line is %q", last)
	}
	base := releaseServer(t, testVersion, nil)
	for n := 1; n < len(lines)-2; n++ {
		dir := filepath.Join(t.TempDir(), "bin")
		cmd := exec.Command("sh", "-s", "--", "-b", dir, "-u", base, testVersion)
		cmd.Stdin = strings.NewReader(strings.Join(lines[:n], ""))
		cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
		out, _ := cmd.CombinedOutput()
		if strings.Contains(string(out), "install.sh:") {
			t.Fatalf("the first %d lines of install.sh ran:\n%s", n, out)
		}
		if _, err := os.Stat(dir); err == nil {
			t.Fatalf("the first %d lines of install.sh made %s", n, dir)
		}
	}
}

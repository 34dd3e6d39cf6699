package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// stageTree makes STAGE/top with a file, an executable, a directory and
// a link, and returns STAGE.
func stageTree(t *testing.T, top string) string {
	t.Helper()
	stage := t.TempDir()
	dir := filepath.Join(stage, top)
	for name, mode := range map[string]os.FileMode{"tool": 0o700, "README.md": 0o600, "man/man1/tool.1": 0o664} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o700)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name+"\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	return stage
}

// The archives' bytes depend on the files and the time alone: made
// twice, from trees made at different times with different modes, they
// are identical; entries are sorted, owned by 0:0 without names, with
// modes 0755 and 0644, and the time given.
func TestArchivesReproducible(t *testing.T) {
	mtime := time.Unix(1765000000, 0).UTC()
	var sums [2][]byte
	for i := range sums {
		stage := stageTree(t, "t_1_linux_amd64")
		os.Symlink("tool", filepath.Join(stage, "t_1_linux_amd64", "tool-link"))
		stageTree(t, "t_1_windows_amd64")
		os.Rename(filepath.Join(stageTree(t, "t_1_windows_amd64"), "t_1_windows_amd64"), filepath.Join(stage, "t_1_windows_amd64"))
		if i == 1 {
			os.Chmod(filepath.Join(stage, "t_1_linux_amd64", "README.md"), 0o644)
			os.Chtimes(filepath.Join(stage, "t_1_linux_amd64", "tool"), time.Now(), time.Now().Add(time.Hour))
		}
		out := t.TempDir()
		if err := run(mtime, stage, out, []string{"t_1_windows_amd64.zip", "t_1_linux_amd64.tar.gz"}); err != nil {
			t.Fatal(err)
		}
		sums[i], _ = os.ReadFile(filepath.Join(out, "SHA256SUMS"))
		if i == 0 {
			checkTar(t, filepath.Join(out, "t_1_linux_amd64.tar.gz"), mtime)
			checkZip(t, filepath.Join(out, "t_1_windows_amd64.zip"), mtime)
			checkSums(t, out, sums[i])
		}
	}
	if !bytes.Equal(sums[0], sums[1]) {
		t.Errorf("two builds differ:\n%s\n%s", sums[0], sums[1])
	}
}

func checkSums(t *testing.T, dir string, sums []byte) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(sums), "\n"), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "  t_1_linux_amd64.tar.gz") || !strings.HasSuffix(lines[1], "  t_1_windows_amd64.zip") {
		t.Fatalf("SHA256SUMS:\n%s", sums)
	}
	for _, l := range lines {
		sum, name, _ := strings.Cut(l, "  ")
		b, _ := os.ReadFile(filepath.Join(dir, name))
		if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: SHA256SUMS says %s", name, sum)
		}
	}
}

func checkTar(t *testing.T, name string, mtime time.Time) {
	t.Helper()
	b, _ := os.ReadFile(name)
	gz, hdrs := readTarGz(t, b)
	if gz.Name != "" || !gz.ModTime.IsZero() {
		t.Errorf("gzip header: name %q, time %v", gz.Name, gz.ModTime)
	}
	var got []string
	for _, h := range hdrs {
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" || !h.ModTime.Equal(mtime) {
			t.Errorf("%s: owner %d:%d (%q:%q), time %v", h.Name, h.Uid, h.Gid, h.Uname, h.Gname, h.ModTime)
		}
		got = append(got, fmt.Sprintf("%s %o %s", h.Name, h.Mode, h.Linkname))
	}
	want := []string{"t_1_linux_amd64/ 755 ", "t_1_linux_amd64/README.md 644 ", "t_1_linux_amd64/man/ 755 ", "t_1_linux_amd64/man/man1/ 755 ",
		"t_1_linux_amd64/man/man1/tool.1 644 ", "t_1_linux_amd64/tool 755 ", "t_1_linux_amd64/tool-link 777 tool"}
	if !slices.Equal(got, want) {
		t.Errorf("tar entries:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func checkZip(t *testing.T, name string, mtime time.Time) {
	t.Helper()
	zr, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var got []string
	for _, f := range zr.File {
		if !f.Modified.Equal(mtime) {
			t.Errorf("%s: time %v", f.Name, f.Modified)
		}
		got = append(got, fmt.Sprintf("%s %o", f.Name, f.Mode().Perm()))
	}
	want := []string{"t_1_windows_amd64/ 755", "t_1_windows_amd64/README.md 644", "t_1_windows_amd64/man/ 755", "t_1_windows_amd64/man/man1/ 755",
		"t_1_windows_amd64/man/man1/tool.1 644", "t_1_windows_amd64/tool 755"}
	if !slices.Equal(got, want) {
		t.Errorf("zip entries:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A zip has no links: a link in its tree is an error, and no archive is
// left behind.
func TestZipRefusesLinks(t *testing.T) {
	stage := stageTree(t, "t_1_windows_amd64")
	os.Symlink("tool", filepath.Join(stage, "t_1_windows_amd64", "tool-link"))
	out := t.TempDir()
	err := run(time.Unix(0, 0), stage, out, []string{"t_1_windows_amd64.zip"})
	if err == nil || !strings.Contains(err.Error(), "tool-link: a zip holds no links") {
		t.Fatalf("err = %v", err)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("left %v", left)
	}
}

// .ci/release refuses a version that is not vX.Y.Z[-PRE] and an output
// directory that holds anything, before building.
func TestReleaseArguments(t *testing.T) {
	readSources(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: .ci/release did not run")
	}
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "keep"), []byte("x"), 0o644)
	for _, tc := range []struct{ version, out, want string }{
		{"1.2.3", t.TempDir(), "version '1.2.3' is not vMAJOR.MINOR.PATCH[-PRERELEASE]"},
		{"v1.2", t.TempDir(), "is not vMAJOR"},
		{"v01.2.3", t.TempDir(), "is not vMAJOR"},
		{"v1.2.3+build.7", t.TempDir(), "is not vMAJOR"},
		{"v1.2.3-rc..1", t.TempDir(), "is not vMAJOR"},
		{"v1.2.3; touch x", t.TempDir(), "is not vMAJOR"},
		{"v1.2.3", full, full + " exists and is not an empty directory"},
	} {
		out, err := exec.Command("../../.ci/release", tc.version, tc.out).CombinedOutput()
		if code := exitCode(err); code != 2 || !strings.Contains(string(out), tc.want) {
			t.Errorf(".ci/release %q: exit %d, %s", tc.version, code, out)
		}
	}
	if left, _ := os.ReadDir(full); len(left) != 1 {
		t.Errorf("the full directory now holds %v", left)
	}
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

const testVersion = "v0.1.0"

// hostRelease is .ci/release's output for this machine alone
// (SARIFKIT_RELEASE_TARGETS), made once for all the tests.
var hostRelease = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "sarifkit-release-test")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("../../.ci/release", testVersion, dir)
	// Without SOURCE_DATE_EPOCH: the time is the commit's, the pages'
	// date too. The tree may have changes (the tests run on one).
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "SOURCE_DATE_EPOCH=") })
	cmd.Env = append(env, "SARIFKIT_RELEASE_TARGETS="+runtime.GOOS+"/"+runtime.GOARCH, "SARIFKIT_RELEASE_DIRTY=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf(".ci/release: %v\n%s", err, out)
	}
	return dir, nil
})

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := hostRelease(); err == nil && dir != "" {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// archiveName is the name of this machine's archive of testVersion.
func archiveName() string {
	return "sarifkit_" + strings.TrimPrefix(testVersion, "v") + "_" + runtime.GOOS + "_" + runtime.GOARCH + ".tar.gz"
}

// releaseFiles returns the files of this machine's release, by name:
// the archive and SHA256SUMS.
func releaseFiles(t *testing.T) map[string][]byte {
	t.Helper()
	readSources(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("SKIP: bash not found: .ci/release did not run")
	}
	switch runtime.GOOS + "/" + runtime.GOARCH {
	case "linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64":
	default:
		t.Skipf("SKIP: no release for %s/%s, install.sh's platforms are linux and darwin on amd64 and arm64", runtime.GOOS, runtime.GOARCH)
	}
	dir, err := hostRelease()
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, name := range []string{"SHA256SUMS", archiveName()} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	return files
}

// The host release holds sarifkit, a link for every program under cmd/,
// the license, the README, completions and man pages.
func TestReleaseContents(t *testing.T) {
	files := releaseFiles(t)
	_, hdrs := readTarGz(t, files[archiveName()])
	top := strings.TrimSuffix(archiveName(), ".tar.gz") + "/"
	got := map[string]string{}
	for _, h := range hdrs {
		got[strings.TrimPrefix(h.Name, top)] = h.Linkname
	}
	want := []string{"sarifkit", "LICENSE", "README.md", "completions/sarifkit.bash", "completions/_sarifkit", "completions/sarifkit.fish", "man/man1/sarifkit.1"}
	progs, _ := filepath.Glob("../../cmd/sarif-*")
	if len(progs) < 10 {
		t.Fatalf("programs under cmd/: %v", progs)
	}
	for _, p := range progs {
		name := filepath.Base(p)
		if got[name] != "sarifkit" {
			t.Errorf("%s links to %q, want sarifkit", name, got[name])
		}
		want = append(want, "man/man1/"+name+".1")
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("the archive lacks %s", w)
		}
	}
	// The links are the verbs the man pages document, no more.
	for name, link := range got {
		if _, ok := got["man/man1/"+name+".1"]; link != "" && !ok {
			t.Errorf("%s links to sarifkit, but the archive has no man/man1/%s.1", name, name)
		}
	}

	// The man pages are dated with the commit's date (UTC), as the
	// entries' times are the commit's time.
	ct, err := exec.Command("git", "log", "-1", "--format=%ct").Output()
	if err != nil {
		t.Skipf("SKIP: git log: %v", err)
	}
	var sec int64
	fmt.Sscan(string(ct), &sec)
	date := time.Unix(sec, 0).UTC().Format(time.DateOnly)
	man := tarFile(t, files[archiveName()], top+"man/man1/sarif-diff.1")
	if !strings.Contains(man, `.TH "SARIF\-DIFF" 1 "`+date+`" `) {
		first, _, _ := strings.Cut(strings.SplitN(man, "\n", 3)[1], "\n")
		t.Errorf("sarif-diff.1's title line %q, want the date %s", first, date)
	}
	for _, h := range hdrs {
		if h.ModTime.Unix() != sec {
			t.Errorf("%s: time %v, want the commit's %v", h.Name, h.ModTime, time.Unix(sec, 0))
			break
		}
	}
}

// tarFile returns the text of the member name of a .tar.gz.
func tarFile(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h.Name == name {
			b, _ := io.ReadAll(tr)
			return string(b)
		}
	}
}

// .ci/release refuses a tree with changes git sees, unless
// SARIFKIT_RELEASE_DIRTY=1, before building anything.
func TestReleaseRefusesDirtyTree(t *testing.T) {
	readSources(t)
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("SKIP: git not found")
	}
	repo := t.TempDir()
	script, _ := os.ReadFile("../../.ci/release")
	os.Mkdir(filepath.Join(repo, ".ci"), 0o755)
	os.WriteFile(filepath.Join(repo, ".ci", "release"), script, 0o755)
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "r"}} {
		if out, err := exec.Command("git", append([]string{"-C", repo}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	os.MkdirAll(filepath.Join(repo, "cmd", "sarif-zzz"), 0o755)
	os.WriteFile(filepath.Join(repo, "cmd", "sarif-zzz", "main.go"), []byte("package main\n"), 0o644)
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "SARIFKIT_RELEASE_DIRTY=") })
	cmd := exec.Command(filepath.Join(repo, ".ci", "release"), "v1.0.0", filepath.Join(t.TempDir(), "dist"))
	cmd.Env = append(env, "PATH="+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if exitCode(err) != 2 || !strings.Contains(string(out), "the tree has changes git sees") || !strings.Contains(string(out), "?? cmd/") {
		t.Errorf("a dirty tree: %v\n%s", err, out)
	}
	// Allowed, it goes on (and fails here, the tree has no program).
	cmd = exec.Command(filepath.Join(repo, ".ci", "release"), "v1.0.0", filepath.Join(t.TempDir(), "dist"))
	cmd.Env = append(env, "SARIFKIT_RELEASE_DIRTY=1", "GOFLAGS=-mod=mod", "HTTPS_PROXY=http://127.0.0.1:9")
	if out, _ := cmd.CombinedOutput(); strings.Contains(string(out), "the tree has changes") {
		t.Errorf("SARIFKIT_RELEASE_DIRTY=1 refused:\n%s", out)
	}
}

// releaseServer serves files as a release host does: BASE/VERSION/NAME,
// and .../releases/latest redirecting to .../releases/tag/LATEST.
func releaseServer(t *testing.T, latest string, releases map[string]map[string][]byte) (base string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/releases/latest" {
			http.Redirect(w, r, "/releases/tag/"+latest, http.StatusFound)
			return
		}
		if strings.HasPrefix(r.URL.Path, "/releases/tag/") {
			io.WriteString(w, "<html>a release page</html>")
			return
		}
		rest, ok := strings.CutPrefix(r.URL.Path, "/releases/download/")
		version, name, _ := strings.Cut(rest, "/")
		b, found := releases[version][name]
		if !ok || !found {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/releases/download"
}

// shells are the POSIX shells install.sh runs under: sh, and dash when
// it is another program.
func shells(t *testing.T) []string {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("SKIP: no sh: install.sh did not run")
	}
	list := []string{sh}
	if dash, err := exec.LookPath("dash"); err == nil {
		a, _ := filepath.EvalSymlinks(sh)
		b, _ := filepath.EvalSymlinks(dash)
		if a != b {
			list = append(list, dash)
		} else {
			t.Logf("sh is dash")
		}
	} else {
		t.Logf("no dash: install.sh ran under sh alone")
	}
	return list
}

// install runs install.sh with args under shell, with the directories
// of shims (programs that stand in for uname, say) first on PATH, and
// returns its exit code and output.
func install(t *testing.T, shell string, shims string, args ...string) (int, string) {
	t.Helper()
	script, _ := filepath.Abs("../../install.sh")
	cmd := exec.Command(shell, append([]string{script}, args...)...)
	home := t.TempDir()
	path := os.Getenv("PATH")
	if shims != "" {
		path = shims + string(os.PathListSeparator) + path
	}
	cmd.Env = append(os.Environ(), "PATH="+path, "HOME="+home, "TMPDIR="+home)
	out, err := cmd.CombinedOutput()
	// Nothing is left in the temporary directory.
	if left, _ := os.ReadDir(home); len(left) != 0 {
		t.Errorf("install.sh left %v in TMPDIR", left)
	}
	return exitCode(err), string(out)
}

// shim returns a directory holding a program name that prints out.
func shim(t *testing.T, name, out string) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\necho '"+out+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// install.sh against a local release host: the release .ci/release made
// installs (sarifkit and its sarif-VERB links, working), an earlier
// install is replaced; a tampered archive, an archive missing from
// SHA256SUMS, a version the host does not have, an archive with a member
// outside its directory and a platform no release is made for are
// refused, with nothing installed.
func TestInstall(t *testing.T) {
	files := releaseFiles(t)
	name := archiveName()
	tampered := bytes.Clone(files[name])
	tampered[len(tampered)/2] ^= 1
	var sumsWithout bytes.Buffer
	for l := range strings.Lines(string(files["SHA256SUMS"])) {
		if !strings.Contains(l, name) {
			sumsWithout.WriteString(l)
		}
	}
	// nameOf is the archive's name in release v; sumsOf is SHA256SUMS
	// with the names of release v.
	nameOf := func(v string) string { return strings.Replace(name, testVersion[1:], v[1:], 1) }
	sumsOf := func(v string) []byte { return bytes.ReplaceAll(files["SHA256SUMS"], []byte(name), []byte(nameOf(v))) }
	evil := evilArchive(t, strings.TrimSuffix(nameOf("v0.0.3"), ".tar.gz"))
	evilSum := sha256.Sum256(evil)
	base := releaseServer(t, testVersion, map[string]map[string][]byte{
		testVersion: files,
		"v0.0.1":    {"SHA256SUMS": sumsOf("v0.0.1"), nameOf("v0.0.1"): tampered},
		"v0.0.2":    {"SHA256SUMS": sumsWithout.Bytes(), nameOf("v0.0.2"): files[name]},
		"v0.0.3":    {"SHA256SUMS": []byte(hex.EncodeToString(evilSum[:]) + "  " + nameOf("v0.0.3") + "\n"), nameOf("v0.0.3"): evil},
		"v0.0.4":    {"SHA256SUMS": sumsOf("v0.0.4")}, // no archive
	})
	for _, sh := range shells(t) {
		t.Run(filepath.Base(sh), func(t *testing.T) {
			bin := filepath.Join(t.TempDir(), "my bin") // a space, as in macOS's home directories
			os.MkdirAll(bin, 0o755)
			os.WriteFile(filepath.Join(bin, "sarifkit"), []byte("an older sarifkit"), 0o755)
			code, out := install(t, sh, "", "-b", bin, "-u", base, testVersion)
			if code != 0 || !strings.Contains(out, "installed sarifkit "+testVersion) {
				t.Fatalf("install: exit %d\n%s", code, out)
			}
			checkInstalled(t, bin)

			// latest: the release .../releases/latest redirects to.
			latest := filepath.Join(t.TempDir(), "bin")
			code, out = install(t, sh, "", "-b", latest, "-u", base)
			if code != 0 || !strings.Contains(out, "latest release: "+testVersion) {
				t.Fatalf("install latest: exit %d\n%s", code, out)
			}
			checkInstalled(t, latest)
			// A host with no release yet: GitHub's releases/latest then
			// leads to the list of releases.
			none := filepath.Join(t.TempDir(), "bin")
			code, out = install(t, sh, "", "-b", none, "-u", releaseServer(t, "", nil))
			if code != 1 || !strings.Contains(out, "/releases/latest did not lead to a release") {
				t.Errorf("latest with no release: exit %d\n%s", code, out)
			}
			if _, err := os.Stat(none); err == nil {
				t.Errorf("latest with no release: %s made", none)
			}

			// Without curl, wget downloads.
			if noCurl := withoutCurl(t); noCurl != "" {
				dir := filepath.Join(t.TempDir(), "bin")
				cmd := exec.Command(sh, "../../install.sh", "-b", dir, "-u", base)
				cmd.Env = append(os.Environ(), "PATH="+noCurl, "TMPDIR="+t.TempDir())
				if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "latest release: "+testVersion) {
					t.Fatalf("install with wget: %v\n%s", err, out)
				}
				checkInstalled(t, dir)
				cmd = exec.Command(sh, "../../install.sh", "-b", dir, "-u", base, "v9.9.9")
				cmd.Env = append(os.Environ(), "PATH="+noCurl, "TMPDIR="+t.TempDir())
				if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "HTTP/1.1 404\ninstall.sh: cannot download") {
					t.Errorf("install of an unknown version with wget: %v\n%s", err, out)
				}
			}

			for _, tc := range []struct {
				name, shims string
				args        []string
				want        string
			}{
				{"tampered", "", []string{"v0.0.1"}, "SHA256SUMS says"},
				{"not in SHA256SUMS", "", []string{"v0.0.2"}, "release v0.0.2 has no " + nameOf("v0.0.2") + " in its SHA256SUMS"},
				{"member outside", "", []string{"v0.0.3"}, "members outside"},
				{"no archive", "", []string{"v0.0.4"}, "cannot download " + base + "/v0.0.4/"},
				{"unknown version", "", []string{"v9.9.9"}, "cannot download " + base + "/v9.9.9/SHA256SUMS: no release v9.9.9 there"},
				{"not a version", "", []string{"9.9"}, "version '9.9' is not latest nor vMAJOR.MINOR.PATCH"},
				{"unsupported OS", shim(t, "uname", "SunOS"), []string{testVersion}, "unsupported operating system: SunOS"},
				{"unsupported arch", shim(t, "uname", "riscv64"), []string{testVersion}, "unsupported"},
			} {
				dir := filepath.Join(t.TempDir(), "bin")
				if tc.name == "member outside" || tc.name == "unknown version" {
					// Refused names there are files to keep.
					os.Mkdir(dir, 0o755)
				}
				if tc.name == "tampered" {
					// An earlier install stays as it was.
					dir = bin
				}
				code, out := install(t, sh, tc.shims, append([]string{"-b", dir, "-u", base}, tc.args...)...)
				if code == 0 || !strings.Contains(out, tc.want) {
					t.Errorf("%s: exit %d, want an error with %q:\n%s", tc.name, code, tc.want, out)
				}
				if dir == bin {
					checkInstalled(t, bin)
					continue
				}
				if left, _ := os.ReadDir(dir); len(left) != 0 {
					t.Errorf("%s: installed %v", tc.name, left)
				}
			}
		})
	}
}

// checkInstalled checks that bin holds sarifkit of testVersion, and the
// sarif-VERB links that run the verbs.
func checkInstalled(t *testing.T, bin string) {
	t.Helper()
	if info, err := os.Stat(filepath.Join(bin, "sarifkit")); err != nil || info.Mode().Perm() != 0o755 {
		t.Errorf("sarifkit: %v, %v; want mode 0755", info, err)
	}
	out, err := exec.Command(filepath.Join(bin, "sarifkit"), "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "sarifkit "+testVersion+",") {
		t.Errorf("sarifkit --version: %v\n%s", err, out)
	}
	if target, err := os.Readlink(filepath.Join(bin, "sarif-diff")); err != nil || target != "sarifkit" {
		t.Errorf("sarif-diff: link to %q (%v), want sarifkit", target, err)
	}
	out, err = exec.Command(filepath.Join(bin, "sarif-diff"), "--help").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "sarif-diff [flags]") {
		t.Errorf("sarif-diff --help: %v\n%s", err, out)
	}
	left, _ := filepath.Glob(filepath.Join(bin, ".*"))
	if len(left) != 0 {
		t.Errorf("install.sh left %v", left)
	}
}

// evilArchive is an archive of top with a member ../../escaped.
func evilArchive(t *testing.T, top string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range []string{top + "/sarifkit", top + "/../../escaped"} {
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: 3, Typeflag: tar.TypeReg})
		tw.Write([]byte("#!\n"))
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// withoutCurl returns a directory of links to the programs install.sh
// runs, wget but not curl, to be the whole PATH; "" (and a log line)
// when one is missing here.
func withoutCurl(t *testing.T) string {
	dir := t.TempDir()
	for _, name := range []string{"uname", "grep", "mktemp", "rm", "mkdir", "cp", "chmod", "ln", "mv", "tar", "gzip",
		"sha256sum", "cut", "awk", "sed", "tail", "tr", "wget", "cat", "head"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Logf("no %s here: install.sh did not run with wget", name)
			return ""
		}
		if err := os.Symlink(p, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readSources reads what the release is made of (the module's Go files,
// go.mod, go.sum, install.sh, .ci/release), so that go test's cache,
// which knows only the files a test opens itself, runs the tests again
// when one changes: .ci/release and install.sh read them in processes
// of their own.
func readSources(t *testing.T) {
	t.Helper()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (strings.HasPrefix(d.Name(), ".") && d.Name() != ".ci" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".go") || slices.Contains([]string{"go.mod", "go.sum", "install.sh", "release", "LICENSE", "README.md"}, d.Name())) {
			_, err = os.ReadFile(p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTarGz returns the gzip header and the tar headers of a .tar.gz.
func readTarGz(t *testing.T, data []byte) (gzip.Header, []*tar.Header) {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var hdrs []*tar.Header
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return zr.Header, hdrs
		}
		if err != nil {
			t.Fatal(err)
		}
		hdrs = append(hdrs, h)
	}
}

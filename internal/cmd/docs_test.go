package cmd_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/sarifkit/sarifkit/internal/cmd"
	"github.com/sarifkit/sarifkit/internal/cmd/cli"
	"github.com/sarifkit/sarifkit/internal/cmd/cmddoc"
)

// scripts returns the completion scripts of the command tree, by shell.
func scripts(t *testing.T) map[string]string {
	t.Helper()
	tree := cmd.Tree()
	out := map[string]string{}
	for shell, write := range map[string]func(io.Writer) error{"bash": tree.Bash, "zsh": tree.Zsh, "fish": tree.Fish} {
		var b strings.Builder
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", shell, err)
		}
		out[shell] = b.String()
	}
	return out
}

// between returns the part of s from the line start up to the first end
// after it, "" when start is not there.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i:]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return s
}

// TestCompletionAndManCoverFlags checks that every flag every command
// parses (its flag set, as NewCmd binds it) is completed by the three
// scripts, for sarifkit VERB and for sarif-VERB, and documented in both
// man pages, with its value when it takes one.
func TestCompletionAndManCoverFlags(t *testing.T) {
	sc := scripts(t)
	pages := map[string]string{}
	for _, p := range cmd.Tree().ManPages(cmddoc.ManOptions{}) {
		pages[p.Name] = p.Text
	}
	roff := func(s string) string { return strings.ReplaceAll(s, "-", `\-`) }
	ios := &cli.IO{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard, Getenv: func(string) string { return "" }}
	verbs := cmd.Verbs()
	own := map[string]bool{}
	for _, v := range verbs {
		own[v.Name] = true
	}
	tree := cmd.Tree()
	if len(tree.Commands) != len(verbs)+2 {
		t.Fatalf("the tree has %d commands, want the %d verbs, completion and man", len(tree.Commands), len(verbs))
	}
	n := 0
	for _, c := range tree.Commands {
		var fs *pflag.FlagSet
		for _, v := range verbs {
			if v.Name == c.Name {
				fs = v.Cmd(ios, "sarif-"+v.Name).Flags
			}
		}
		if fs == nil {
			fs = c.Flags
		}
		bash := between(sc["bash"], "\n    "+c.Name+")\n", "\n        ;;\n")
		bashFlags := between(bash, "flags=", "\n")
		zsh := between(sc["zsh"], "\n_sarifkit_"+c.Name+"() {\n", "\n}\n")
		var fishKit, fishOwn []string
		for _, l := range strings.Split(sc["fish"], "\n") {
			if strings.HasPrefix(l, "complete -c sarifkit -n '__sarifkit_using "+c.Name+"' ") {
				fishKit = append(fishKit, l)
			}
			if strings.HasPrefix(l, "complete -c sarif-"+c.Name+" ") {
				fishOwn = append(fishOwn, l)
			}
		}
		if bash == "" || zsh == "" || len(fishKit) == 0 {
			t.Errorf("%s: missing from a script: bash %d bytes, zsh %d, fish %d lines", c.Name, len(bash), len(zsh), len(fishKit))
			continue
		}
		if own[c.Name] != (len(fishOwn) > 0) {
			t.Errorf("%s: fish completes sarif-%s: %v, want %v", c.Name, c.Name, len(fishOwn) > 0, own[c.Name])
		}
		manPages := []string{"sarifkit-" + c.Name + ".1"}
		if own[c.Name] {
			manPages = append(manPages, "sarif-"+c.Name+".1")
		}
		fs.VisitAll(func(f *pflag.Flag) {
			if f.Hidden {
				return
			}
			n++
			name := c.Name + " --" + f.Name
			value, _ := pflag.UnquoteUsage(f)
			takesValue := f.Value.Type() != "bool"
			if !regexp.MustCompile(`[" ]--` + f.Name + `[" ]`).MatchString(bashFlags) {
				t.Errorf("%s: not in bash's flags: %s", name, bashFlags)
			}
			if f.Shorthand != "" && !strings.Contains(bashFlags, " -"+f.Shorthand+" ") && !strings.Contains(bashFlags, " -"+f.Shorthand+`"`) {
				t.Errorf("%s: -%s not in bash's flags", name, f.Shorthand)
			}
			valueCase := false // a line "        -o | --output) ..." of case $prev
			for _, l := range strings.Split(bash, "\n") {
				if pats, _, ok := strings.Cut(strings.TrimPrefix(l, "        "), ") "); ok && !strings.HasPrefix(pats, " ") {
					valueCase = valueCase || slices.Contains(strings.Split(pats, " | "), "--"+f.Name)
				}
			}
			if valueCase != takesValue {
				t.Errorf("%s: bash completes a value after it: %v, want %v", name, valueCase, takesValue)
			}
			zshSpec := "--" + f.Name + "["
			switch {
			case takesValue && f.Shorthand != "":
				zshSpec = ",--" + f.Name + "=}"
			case takesValue:
				zshSpec = "--" + f.Name + "="
			case f.Shorthand != "":
				zshSpec = ",--" + f.Name + "}"
			}
			if !strings.Contains(zsh, zshSpec) {
				t.Errorf("%s: no %q in zsh's _sarifkit_%s", name, zshSpec, c.Name)
			}
			if f.Shorthand != "" && !strings.Contains(zsh, "{-"+f.Shorthand) {
				t.Errorf("%s: -%s not in zsh's _sarifkit_%s", name, f.Shorthand, c.Name)
			}
			for _, lines := range [][]string{fishKit, fishOwn} {
				if len(lines) == 0 {
					continue
				}
				found := false
				for _, l := range lines {
					if strings.Contains(l, " -l "+f.Name+" ") && (f.Shorthand == "" || strings.Contains(l, " -s "+f.Shorthand+" ")) {
						found = true
						if takesValue != (strings.Contains(l, " -r ") || strings.Contains(l, " -x ")) {
							t.Errorf("%s: fish line %q: takes a value %v", name, l, takesValue)
						}
					}
				}
				if !found {
					t.Errorf("%s: not in fish's lines %q...", name, lines[0])
				}
			}
			head := `\fB\-\-` + roff(f.Name) + `\fR`
			if f.Shorthand != "" {
				head = `\fB\-` + f.Shorthand + `\fR, ` + head
			}
			if takesValue {
				head += ` \fI` + roff(value) + `\fR`
			}
			for _, page := range manPages {
				if !strings.Contains(pages[page], "\n.TP\n"+head+"\n") {
					t.Errorf("%s: no %q in %s", name, head, page)
				}
			}
		})
		// --format's values complete.
		if f := fs.Lookup("format"); f != nil {
			words := cmddoc.Values(f)
			if len(words) < 2 {
				t.Errorf("%s --format: values %q, want those its usage lists", c.Name, words)
			}
			if !strings.Contains(bash, `--format) _sarifkit_complete_words "`+strings.Join(words, " ")+`"`) {
				t.Errorf("%s --format: bash does not complete %q", c.Name, words)
			}
		}
	}
	t.Logf("%d flags of %d commands checked", n, len(tree.Commands))
}

// TestFlagValuesAreAccepted checks the values completion offers (read
// from each flag's usage, see cmddoc.Values) against the command: given a
// value it does not take, the command's complaints (one an argument
// list: alerts list and alerts report take other formats) name every
// value completion offers. A flag whose check no argument list here reaches
// is logged.
func TestFlagValuesAreAccepted(t *testing.T) {
	ctx := context.Background()
	attempts := [][]string{nil, {"testdata/diff/base.sarif"}, {"testdata/diff/base.sarif", "testdata/diff/head.sarif"}, {"list"}, {"report"},
		{"--fail-on", "new", "testdata/diff/base.sarif", "testdata/diff/head.sarif"}, {"-o", "out.sarif", "testdata/diff/base.sarif"}}
	t.Chdir(filepath.Join("..", ".."))
	checked := 0
	for _, c := range cmd.Tree().Commands {
		for _, f := range cmddoc.Flags(c.Flags) {
			if f.Kind != cmddoc.KindWords {
				continue
			}
			var msg string // the complaints, of each argument list that gets one
			for _, extra := range attempts {
				var stderr bytes.Buffer
				ios := &cli.IO{In: strings.NewReader(""), Out: io.Discard, Err: &stderr, Getenv: func(string) string { return "" }}
				args := append([]string{c.Name, "--" + f.Name, "zz-bogus"}, extra...)
				if code := cmd.Sarifkit(ctx, ios, args); code == cli.ExitUsage && strings.Contains(stderr.String(), "zz-bogus") {
					msg += stderr.String()
				}
			}
			if msg == "" {
				t.Logf("%s --%s: no check of its value reached; completion offers %q", c.Name, f.Name, f.Words)
				continue
			}
			checked++
			for _, w := range f.Words {
				if !regexp.MustCompile(`\b` + regexp.QuoteMeta(w) + `\b`).MatchString(msg) {
					t.Errorf("%s --%s: completion offers %q, which the command's complaint does not name: %s", c.Name, f.Name, w, msg)
				}
			}
		}
	}
	if checked < 5 {
		t.Errorf("only %d flags' values checked", checked)
	}
}

// lookPath finds a shell or tool the test needs, or skips the test
// saying why (the CI installs them: bash, zsh, fish, groff).
func lookPath(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		pkg := name
		if name == "groff" {
			pkg = "groff-base"
		}
		t.Skipf("skipped: %s is not installed (Debian package %s)", name, pkg)
	}
	return p
}

// TestCompletionScriptsParse parses each script with its shell (-n: read,
// not run).
func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			sh := lookPath(t, shell)
			out, err := exec.Command(sh, "-n", writeScript(t, shell)).CombinedOutput()
			if err != nil || len(out) > 0 {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		})
	}
}

// completionCases are command lines being completed (the word completed
// last), with what completion offers, for bash and fish.
var completionCases = []struct{ line, want string }{
	{"sarifkit di", "diff"},
	{"sarifkit ", "diff merge filter split validate report fetch upload alerts review completion man help"},
	{"sarifkit --v", "--version"},
	{"sarifkit help re", "report review"},
	{"sarifkit completion ", "bash zsh fish"},
	{"sarif-diff --fo", "--format"},
	{"sarifkit diff --fo", "--format"},
	{"/usr/local/bin/sarif-validate --fo", "--format"},
	{"sarifkit report --format ", "summary html csv junit codeclimate"},
	{"sarif-report --format c", "csv codeclimate"},
	{"sarifkit report --format=c", "--format=csv --format=codeclimate"},
	{"sarifkit diff --fail-on ", "new updated any"},
	{"sarifkit merge -o testdata/diff/b", "testdata/diff/base.sarif"},
	{"sarifkit man --output-dir testdata/di", "testdata/diff"},
	{"sarifkit validate testdata/diff/h", "testdata/diff/head.sarif"},
	{"sarifkit fetch --ref ", ""},
	{"sarifkit alerts ", "list dismiss reopen report"},
	{"sarif-alerts dis", "dismiss"},
	{"sarifkit alerts list n", ""},
	{"sarifkit completion bash z", ""},
	{"sarif-fetch x", ""},
	{"sarifkit alerts report --to", "--tool"},
	{"sarifkit report --to", "--top"},
}

// writeScript writes the completion script of shell into a new
// directory, and returns its name.
func writeScript(t *testing.T, shell string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "sarifkit."+shell)
	if err := os.WriteFile(name, []byte(scripts(t)[shell]), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// TestBashCompletes completes command lines with the bash script, as
// bash does on TAB: COMP_WORDS and COMP_CWORD set, the function called,
// COMPREPLY read.
func TestBashCompletes(t *testing.T) {
	bash := lookPath(t, "bash")
	script := writeScript(t, "bash")
	var driver strings.Builder
	driver.WriteString("source \"$1\" || exit 1\n")
	for _, tc := range completionCases {
		// Words as bash splits them, COMP_WORDBREAKS' '=' included.
		words := strings.Fields(strings.ReplaceAll(tc.line, "=", " = "))
		if strings.HasSuffix(tc.line, " ") {
			words = append(words, "")
		}
		driver.WriteString("COMP_WORDS=(")
		for _, w := range words {
			driver.WriteString("'" + w + "' ")
		}
		driver.WriteString(")\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()\n_sarifkit_complete\necho \"${COMPREPLY[*]}\"\n")
	}
	c := exec.Command(bash, "--norc", "--noprofile", "-c", driver.String(), "bash", script)
	c.Dir = filepath.Join("..", "..")
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("bash: %v\n%s", err, out)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(got) != len(completionCases) {
		t.Fatalf("bash printed %d lines, want %d:\n%s", len(got), len(completionCases), out)
	}
	for i, tc := range completionCases {
		if tc.line == "sarifkit report --format=c" {
			// Split at '=', bash completes the value alone.
			tc.want = "csv codeclimate"
		}
		if got[i] != tc.want {
			t.Errorf("bash: %q<TAB> = %q, want %q", tc.line, got[i], tc.want)
		}
	}
}

// TestFishCompletes completes the same command lines with fish's
// complete -C.
func TestFishCompletes(t *testing.T) {
	fish := lookPath(t, "fish")
	script := writeScript(t, "fish")
	dir := filepath.Dir(script)
	for _, tc := range completionCases {
		if strings.Contains(tc.line, "=") || strings.HasPrefix(tc.line, "/") || strings.HasSuffix(tc.line, " testdata/di") {
			continue // fish's own ways: --format=, paths as commands, directories with a slash
		}
		c := exec.Command(fish, "--no-config", "-c", `source $argv[1]; complete -C $argv[2]`, script, tc.line)
		c.Dir = filepath.Join("..", "..")
		c.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("fish: %v\n%s", err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if w, _, _ := strings.Cut(l, "\t"); w != "" {
				got = append(got, w)
			}
		}
		want := strings.Fields(tc.want)
		slices.Sort(got)
		slices.Sort(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("fish: %q<TAB> = %q, want %q", tc.line, got, want)
		}
	}
}

// TestManPagesLint formats every page with groff, warnings on, and wants
// none.
func TestManPagesLint(t *testing.T) {
	groff := lookPath(t, "groff")
	dir := t.TempDir()
	pages := cmd.Tree().ManPages(cmddoc.ManOptions{Date: "2026-01-02", Version: "v1.2.3"})
	if len(pages) != 1+2*len(cmd.Verbs())+2 {
		t.Errorf("%d pages, want sarifkit.1, two a verb, and completion's and man's", len(pages))
	}
	for _, p := range pages {
		f := filepath.Join(dir, p.Name)
		if err := os.WriteFile(f, []byte(p.Text), 0o644); err != nil {
			t.Fatal(err)
		}
		c := exec.Command(groff, "-man", "-ww", "-z", f)
		c.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
		if out, err := c.CombinedOutput(); err != nil || len(out) > 0 {
			t.Errorf("groff -man -ww -z %s: %v\n%s", p.Name, err, out)
		}
	}
}

// TestBinaryNames builds the sarifkit program as a release does, the
// version linked in, and runs it under a verb's name, as a link and as a
// copy would be: it is that verb's program.
func TestBinaryNames(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: builds the program")
	}
	goTool := lookPath(t, "go")
	dir := t.TempDir()
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	kit := filepath.Join(dir, "sarifkit"+exe)
	build := exec.Command(goTool, "build", "-trimpath", "-ldflags", "-X github.com/sarifkit/sarifkit/internal/cmd/cli.version=v9.8.7", "-o", kit, "github.com/sarifkit/sarifkit/cmd/sarifkit")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := func(name string, args ...string) (string, int) {
		c := exec.Command(name, args...)
		out, _ := c.CombinedOutput()
		return string(out), c.ProcessState.ExitCode()
	}
	if out, _ := run(kit, "--version"); !strings.HasPrefix(out, "sarifkit v9.8.7") {
		t.Errorf("sarifkit --version = %q, want the version linked", out)
	}
	data, err := os.ReadFile(kit)
	if err != nil {
		t.Fatal(err)
	}
	diffCopy := filepath.Join(dir, "sarif-diff"+exe)
	if err := os.WriteFile(diffCopy, data, 0o755); err != nil {
		t.Fatal(err)
	}
	names := []string{diffCopy}
	if runtime.GOOS != "windows" {
		link := filepath.Join(dir, "sarif-validate")
		if err := os.Symlink(kit, link); err != nil {
			t.Fatal(err)
		}
		names = append(names, link)
	}
	for _, name := range names {
		prog := strings.TrimSuffix(filepath.Base(name), exe)
		if out, _ := run(name, "--version"); !strings.HasPrefix(out, prog+" v9.8.7") {
			t.Errorf("%s --version = %q", prog, out)
		}
		if out, _ := run(name, "--help"); !strings.HasPrefix(out, "Usage: "+prog+" [flags]") {
			t.Errorf("%s --help = %.60q...", prog, out)
		}
		out, code := run(name, "--no-such-flag")
		if code != cli.ExitUsage || !strings.HasPrefix(out, prog+": unknown flag: --no-such-flag\nRun '"+prog+" --help' for usage.\n") {
			t.Errorf("%s --no-such-flag: exit %d, %q", prog, code, out)
		}
	}
	// Another name is sarifkit.
	other := filepath.Join(dir, "sarif-completion"+exe)
	if err := os.WriteFile(other, data, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, code := run(other, "diff", "--version"); code != 0 || !strings.HasPrefix(out, "sarifkit diff v9.8.7") {
		t.Errorf("sarif-completion diff --version: exit %d, %q", code, out)
	}
}

// zshDriver completes each command line given in an interactive zsh in
// a pseudo-terminal (zsh/zpty), as on TAB, with the script loaded after
// compinit: a compadd wrapper appends the matches the completion adds
// to the file out, and TAB's widget a line ---END--- once done, which
// the driver waits for before the next line (zsh skips a completion
// when more input is waiting).
const zshDriver = `zmodload zsh/zpty || exit 1
script=$1 out=$2; shift 2
: > $out
zpty z zsh -f -i
zpty -w z "PS1= RPS1=; unsetopt auto_list auto_menu; setopt no_beep"
zpty -w z "autoload -U compinit && compinit -u -D && source ${(q)script}"
zpty -w z "compadd() { if (( \$argv[(I)-[OAD]] )); then builtin compadd \"\$@\"; return; fi; local -a m; builtin compadd -O m \"\$@\"; (( \$#m )) && print -rl -- \$m >> ${(q)out}; builtin compadd \"\$@\"; }"
zpty -w z "zle -C tab-complete complete-word _main_complete; tab() { zle tab-complete; print -r -- ---END--- >> ${(q)out}; }; zle -N tab; bindkey '^I' tab"
n=0
for line in "$@"; do
  zpty -w -n z "$line"$'\t'
  (( n++ ))
  for i in {1..200}; do
    (( $(grep -c -- ---END--- $out) >= n )) && break
    sleep 0.02
  done
  zpty -w -n z $'\C-u'
done
zpty -d z
`

// TestZshCompletes completes the command lines with the zsh script, in
// a real zsh. zsh adds file names without their directory.
func TestZshCompletes(t *testing.T) {
	zsh := lookPath(t, "zsh")
	script := writeScript(t, "zsh")
	dir := filepath.Dir(script)
	driver, out := filepath.Join(dir, "driver.zsh"), filepath.Join(dir, "out")
	if err := os.WriteFile(driver, []byte(zshDriver), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-f", driver, script, out}
	for _, tc := range completionCases {
		args = append(args, tc.line)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // a zsh that waits for ever
	defer cancel()
	c := exec.CommandContext(ctx, zsh, args...)
	c.Dir = filepath.Join("..", "..")
	c.Env = append(os.Environ(), "HOME="+dir, "ZDOTDIR="+dir)
	if msg, err := c.CombinedOutput(); err != nil {
		t.Fatalf("zsh: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(string(data), "---END---\n")
	if len(got) != len(completionCases)+1 || got[len(got)-1] != "" {
		t.Fatalf("zsh completed %d lines, want %d:\n%s", len(got)-1, len(completionCases), data)
	}
	for i, tc := range completionCases {
		var words, want []string
		for _, w := range strings.Fields(got[i]) {
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
		for _, w := range strings.Fields(strings.ReplaceAll(tc.want, "--format=", "")) {
			want = append(want, filepath.Base(w))
		}
		slices.Sort(words)
		slices.Sort(want)
		if !slices.Equal(words, want) {
			t.Errorf("zsh: %q<TAB> = %q, want %q", tc.line, words, want)
		}
	}
}

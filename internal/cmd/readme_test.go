package cmd_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestREADME runs the examples of the README as scripts, so that the
// README and what the commands do cannot drift apart. An example is a
// ```sh block of commands followed by a bare ``` block (no heading in
// between) showing what they print, or a bare block of "$ COMMAND" lines
// each followed by its output. Each becomes a testscript script run as
// TestScripts runs its own (the commands are this test binary, in a copy
// of the repository's testdata), which checks, exactly:
//
//   - the output: what a terminal shows, standard output then standard
//     error, line for line; a last line "..." means the rest is cut, and
//     the lines above it are then the first ones printed;
//   - the exit status: 0, unless the text leading to the example (since
//     the previous fenced block or heading) says "exit N" or "exits N",
//     the status of its last command; the commands before it in a chain
//     (&&) or a transcript exit 0.
//
// A command is written as in a shell: words, single and double quotes,
// commands chained with &&; bin/NAME is the command NAME (the README
// builds them into bin/). What the README runs otherwise is settled by
// the rules of readmeRules, each logged: a build of the commands is
// dropped (they are built already), and an example that talks to GitHub
// or runs a program the repository does not have is skipped, with the
// reason. A ```sh block with no output after it shows a command line,
// not an example; it is listed too. Anything else a block holds (a pipe,
// a redirection, a variable) fails the test: it needs a rule here.
//
// The test says how many examples ran and were skipped, and fails when
// fewer than readmeMinExamples ran, so that a README whose examples the
// parser no longer finds does not pass by running none.
func TestREADME(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	examples, notes, err := readmeExamples(string(data))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		t.Log(n)
	}
	dir := t.TempDir()
	var files []string
	skipped := 0
	for _, ex := range examples {
		if ex.skip != "" {
			skipped++
			t.Logf("README.md:%d: skipped: %s", ex.line, ex.skip)
			continue
		}
		name := filepath.Join(dir, fmt.Sprintf("readme-%03d.txtar", ex.line))
		if err := os.WriteFile(name, []byte(ex.script()), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	t.Logf("README.md: %d examples run, %d skipped", len(files), skipped)
	if len(files) < readmeMinExamples {
		t.Errorf("only %d examples of README.md run, want at least %d", len(files), readmeMinExamples)
	}
	testscript.Run(t, testscript.Params{
		Files: files,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HTTPS_PROXY", "http://127.0.0.1:9") // nothing leaves the machine
			return copyTestdata(env)
		},
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits":    cmdExits,
			"cmpshown": cmdCmpShown,
		},
	})
}

// readmeMinExamples is how many examples of the README run today: fewer
// means that examples were lost, or that the parser no longer finds them.
const readmeMinExamples = 5

// readmeCommands are the commands the examples may run; this test binary
// is each of them (TestMain).
var readmeCommands = map[string]bool{"sarifkit": true, "sarif-diff": true, "sarif-merge": true, "sarif-validate": true,
	"sarif-report": true, "sarif-fetch": true, "sarif-upload": true, "sarif-alerts": true, "sarif-filter": true, "sarif-split": true}

// readmeRules settle what an example's command line runs, besides the
// commands: the rule that matches a command line (its words joined by
// spaces) either drops it (skip "") or skips the example, saying why.
var readmeRules = []struct {
	match *regexp.Regexp
	skip  string
}{
	// The README builds or installs the commands first: the test has
	// them already.
	{regexp.MustCompile(`^go (build|install) (-o bin/ )?\./cmd/\.\.\.$`), ""},
	// The commands that talk to GitHub: no test reaches the network.
	{regexp.MustCompile(`^(sarifkit (fetch|upload|alerts)|sarif-fetch|sarif-upload|sarif-alerts)( |$)`), "talks to GitHub (sarif-fetch, sarif-upload, sarif-alerts)"},
	// The Go toolchain beyond building the commands (go test, go run).
	{regexp.MustCompile(`^go `), "runs the Go toolchain"},
}

// readmeExample is one example of the README: its commands and what they
// show.
type readmeExample struct {
	line   int          // of its first block in README.md
	runs   []readmeStep // in order
	status int          // of the last command
	skip   string       // why it does not run, if it does not
}

// readmeStep is one command of an example and the output shown after it
// (with a transcript, each command has its own; in a chain, the last).
type readmeStep struct {
	args     []string
	shown    string // "" when the output shown belongs to a later command
	hasShown bool
}

// script returns the example as a testscript script: a command line
// per step, with its exit status, and the comparison of its output with
// the README's.
func (ex *readmeExample) script() string {
	var b, files strings.Builder
	fmt.Fprintf(&b, "# README.md:%d\n", ex.line)
	for i, s := range ex.runs {
		status := 0
		if i == len(ex.runs)-1 {
			status = ex.status
		}
		quoted := make([]string, len(s.args))
		for j, a := range s.args {
			quoted[j] = "'" + strings.ReplaceAll(a, "'", "''") + "'"
		}
		fmt.Fprintf(&b, "exits %d %s\n", status, strings.Join(quoted, " "))
		if s.hasShown {
			name := fmt.Sprintf("shown%d", i)
			fmt.Fprintf(&b, "cmpshown %s\n", name)
			fmt.Fprintf(&files, "-- %s --\n%s", name, s.shown)
		}
	}
	b.WriteString("\n")
	b.WriteString(files.String())
	return b.String()
}

// readmeBlock is a fenced block of the README.
type readmeBlock struct {
	line    int      // of the opening fence, from 1
	lang    string   // the info string: "sh", "" ...
	lines   []string // the content, without the fence's indentation
	before  string   // the text between the previous block or heading and this block
	heading bool     // a heading comes between the previous block and this one
}

// readmeBlocks returns the fenced blocks of a Markdown text.
func readmeBlocks(text string) ([]readmeBlock, error) {
	var blocks []readmeBlock
	var cur *readmeBlock
	var before strings.Builder
	heading := false
	indent := ""
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		if cur != nil {
			if strings.HasPrefix(trimmed, "```") && strings.TrimSpace(trimmed) == "```" {
				blocks = append(blocks, *cur)
				cur = nil
				continue
			}
			cur.lines = append(cur.lines, strings.TrimPrefix(line, indent))
			continue
		}
		if strings.HasPrefix(trimmed, "```") {
			indent = line[:len(line)-len(trimmed)]
			cur = &readmeBlock{line: i + 1, lang: strings.TrimSpace(trimmed[3:]), before: before.String(), heading: heading}
			before.Reset()
			heading = false
			continue
		}
		if strings.HasPrefix(line, "#") {
			heading = true
			before.Reset()
			continue
		}
		before.WriteString(line)
		before.WriteString("\n")
	}
	if cur != nil {
		return nil, fmt.Errorf("README.md:%d: a fenced block is not closed", cur.line)
	}
	return blocks, nil
}

// exitRe finds an exit status stated in the text leading to an example.
var exitRe = regexp.MustCompile(`\bexits? (\d+)\b`)

// readmeExamples returns the examples of the README, and a note for each
// ```sh block that shows no output.
func readmeExamples(text string) ([]readmeExample, []string, error) {
	blocks, err := readmeBlocks(text)
	if err != nil {
		return nil, nil, err
	}
	var examples []readmeExample
	var notes []string
	for i := 0; i < len(blocks); i++ {
		b := blocks[i]
		var ex readmeExample
		lead := b.before
		switch {
		case b.lang == "sh" && i+1 < len(blocks) && blocks[i+1].lang == "" && !blocks[i+1].heading && !isTranscript(blocks[i+1]):
			out := blocks[i+1]
			lead += out.before
			i++
			words, err := shellWords(strings.Join(b.lines, "\n"))
			if err != nil {
				return nil, nil, fmt.Errorf("README.md:%d: %v", b.line, err)
			}
			for _, args := range words {
				ex.runs = append(ex.runs, readmeStep{args: args})
			}
			if len(ex.runs) > 0 {
				ex.runs[len(ex.runs)-1].shown, ex.runs[len(ex.runs)-1].hasShown = joinLines(out.lines), true
			}
		case b.lang == "" && isTranscript(b):
			var cur *readmeStep
			for _, l := range b.lines {
				if cmd, ok := strings.CutPrefix(l, "$ "); ok {
					words, err := shellWords(cmd)
					if err != nil {
						return nil, nil, fmt.Errorf("README.md:%d: %v", b.line, err)
					}
					for _, args := range words {
						ex.runs = append(ex.runs, readmeStep{args: args, hasShown: true})
					}
					cur = &ex.runs[len(ex.runs)-1]
					continue
				}
				cur.shown += l + "\n"
			}
		case b.lang == "sh":
			notes = append(notes, fmt.Sprintf("README.md:%d: a command line, not an example: no output is shown after it", b.line))
			continue
		default:
			continue
		}
		ex.line = b.line
		if m := exitRe.FindAllStringSubmatch(lead, -1); len(m) > 0 {
			for _, x := range m[1:] {
				if x[1] != m[0][1] {
					return nil, nil, fmt.Errorf("README.md:%d: the text before the example states two exit statuses, %s and %s", b.line, m[0][1], x[1])
				}
			}
			ex.status, _ = strconv.Atoi(m[0][1])
		}
		if err := ex.applyRules(); err != nil {
			return nil, nil, fmt.Errorf("README.md:%d: %v", b.line, err)
		}
		examples = append(examples, ex)
	}
	return examples, notes, nil
}

// applyRules maps bin/NAME to NAME, then drops the command lines a rule
// drops, or skips the example for the first rule that skips it.
func (ex *readmeExample) applyRules() error {
	var kept []readmeStep
	for _, s := range ex.runs {
		if name, ok := strings.CutPrefix(s.args[0], "bin/"); ok && readmeCommands[name] {
			s.args[0] = name
		}
		line := strings.Join(s.args, " ")
		matched := false
		for _, r := range readmeRules {
			if !r.match.MatchString(line) {
				continue
			}
			matched = true
			if r.skip != "" && ex.skip == "" {
				ex.skip = r.skip
			}
			break
		}
		switch {
		case matched && s.hasShown && ex.skip == "":
			return fmt.Errorf("%q is dropped, but the output shown is its own", line)
		case matched:
		case !readmeCommands[s.args[0]]:
			if ex.skip == "" {
				ex.skip = "runs " + s.args[0] + ", which is not in the repository"
			}
		default:
			kept = append(kept, s)
		}
	}
	ex.runs = kept
	if len(kept) == 0 && ex.skip == "" {
		return errors.New("no command of the example runs")
	}
	return nil
}

// isTranscript reports whether a bare block shows commands ("$ ...")
// each followed by its output.
func isTranscript(b readmeBlock) bool {
	return len(b.lines) > 0 && strings.HasPrefix(b.lines[0], "$ ")
}

func joinLines(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// shellWords splits shell command lines into the words of each command:
// words separated by blanks, single quotes, double quotes (where \" and
// \\ escape), commands separated by "&&" or new lines. Anything else of
// the shell's syntax is an error.
func shellWords(text string) ([][]string, error) {
	var cmds [][]string
	var words []string
	var w strings.Builder
	inWord := false
	endWord := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	endCmd := func() {
		endWord()
		if len(words) > 0 {
			cmds = append(cmds, words)
			words = nil
		}
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == ' ' || c == '\t':
			endWord()
		case c == '\n':
			endCmd()
		case c == '&' && strings.HasPrefix(text[i:], "&&"):
			endCmd()
			i++
		case c == '\'':
			j := strings.IndexByte(text[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("a single quote is not closed")
			}
			w.WriteString(text[i+1 : i+1+j])
			inWord = true
			i += j + 1
		case c == '"':
			inWord = true
			for i++; ; i++ {
				if i >= len(text) {
					return nil, errors.New("a double quote is not closed")
				}
				if text[i] == '"' {
					break
				}
				if text[i] == '\\' && i+1 < len(text) && (text[i+1] == '"' || text[i+1] == '\\') {
					i++
				} else if strings.IndexByte("$`\\", text[i]) >= 0 {
					return nil, fmt.Errorf("%q inside double quotes: the test does not expand it", text[i])
				}
				w.WriteByte(text[i])
			}
		case strings.IndexByte("|;<>&$`\\()*?[]{}~#", c) >= 0:
			return nil, fmt.Errorf("%q in %q: the test runs no shell (add a rule, or quote it)", c, text)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	endCmd()
	return cmds, nil
}

// cmdExits runs a program, as exec does, and checks its exit status:
// "exits STATUS PROGRAM [ARGS...]".
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("usage: exits STATUS PROGRAM [ARGS...]: %v", err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("%s: %v", args[1], err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited %d, the README says %d", args[1], got, want)
	}
}

// cmdCmpShown compares the output shown in the README (a file of the
// script) with what the last command printed, as a terminal shows it:
// standard output, then standard error. A last line "..." compares the
// lines above it with the first lines printed.
func cmdCmpShown(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: cmpshown FILE")
	}
	shown := ts.ReadFile(args[0])
	printed := ts.ReadFile("stdout") + ts.ReadFile("stderr")
	if cut, ok := strings.CutSuffix(shown, "...\n"); ok && (cut == "" || strings.HasSuffix(cut, "\n")) {
		if !strings.HasPrefix(printed, cut) {
			ts.Fatalf("the README shows output that begins\n%s\nthe command printed\n%s", cut, printed)
		}
		if len(printed) == len(cut) {
			ts.Fatalf("the README cuts the output with \"...\", but nothing follows what it shows")
		}
		return
	}
	if !bytes.Equal([]byte(shown), []byte(printed)) {
		ts.Fatalf("the README shows\n%s\nthe command printed\n%s", shown, printed)
	}
}

package fakegitlab

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sarifkit/sarifkit/diff/linemap"
)

// A line is a line of a file's diff: '+' added (old is the old file's
// next line there), '-' removed (new is the new file's next line), ' '
// context.
type line struct {
	kind     byte
	old, new int
}

// lines reads a diff's hunks (nothing when it does not parse), with the
// counters GitLab's line codes use: an added line's old line is the old
// file's next line in the hunk (or the last one's plus one; 0 in a hunk
// without old lines), a removed line's new line likewise.
func lines(diff string) []line {
	pl, err := linemap.ReadPatch(diff)
	if err != nil {
		return nil
	}
	out := make([]line, len(pl))
	for i, l := range pl {
		out[i] = line{l.Kind, l.Old, l.New}
		if l.Kind == '+' {
			out[i].old = counter(pl, i, func(l linemap.PatchLine) int { return l.Old })
		} else if l.Kind == '-' {
			out[i].new = counter(pl, i, func(l linemap.PatchLine) int { return l.New })
		}
	}
	return out
}

// counter is a side's counter at line i, which that side does not have.
func counter(pl []linemap.PatchLine, i int, side func(linemap.PatchLine) int) int {
	for _, n := range pl[i+1:] {
		if n.Hunk != pl[i].Hunk {
			break
		}
		if side(n) != 0 {
			return side(n)
		}
	}
	for j := i - 1; j >= 0 && pl[j].Hunk == pl[i].Hunk; j-- {
		if side(pl[j]) != 0 {
			return side(pl[j]) + 1
		}
	}
	return 0
}

func lineCode(path string, old, nw int) string {
	h := sha1.Sum([]byte(path))
	return hex.EncodeToString(h[:]) + "_" + strconv.Itoa(old) + "_" + strconv.Itoa(nw)
}

// num reads an integer member: 0 when absent or null; ok false when it is
// no positive integer.
func num(m map[string]any, key string) (n int, ok bool) {
	v, present := m[key]
	if !present || v == nil {
		return 0, true
	}
	f, isNum := v.(float64)
	if !isNum || f != float64(int(f)) || f < 1 {
		return 0, false
	}
	return int(f), true
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// find returns the index of the diff line with these old and new lines
// (0: not given), -1 when there is none: a new line alone is an added
// line, an old line alone a removed one, both a context line.
func find(ls []line, old, nw int) int {
	for i, l := range ls {
		switch {
		case old == 0 && nw != 0 && l.kind == '+' && l.new == nw,
			nw == 0 && old != 0 && l.kind == '-' && l.old == old,
			old != 0 && nw != 0 && l.kind == ' ' && l.old == old && l.new == nw:
			return i
		}
	}
	return -1
}

// checkPosition returns what GitLab would answer to a discussion at p
// with body, or "" when it is fine.
func (f *Server) checkPosition(p map[string]any, body string) (status int, msg any) {
	if t, ok := p["position_type"]; !ok {
		return 400, map[string]any{"error": "position[position_type] is missing"}
	} else if t != "text" {
		return 400, map[string]any{"error": "position[position_type] does not have a valid value"}
	}
	for _, k := range []string{"base_sha", "start_sha", "head_sha"} {
		if str(p, k) == "" {
			return 400, map[string]any{"error": "position[" + k + "] is missing"}
		}
	}
	// A version of the merge request whose diff the fake knows: the
	// newest, or an older one in OldDiffs.
	diffs, known := []Diff(nil), false
	for i, v := range f.Versions {
		if str(p, "base_sha") == v.BaseCommitSHA && str(p, "start_sha") == v.StartCommitSHA && str(p, "head_sha") == v.HeadCommitSHA {
			diffs, known = f.versionDiffs(i)
			break
		}
	}
	if !known {
		return 400, map[string]any{"message": badPosition}
	}
	path := str(p, "new_path")
	var d *Diff
	for i := range diffs {
		if diffs[i].NewPath == path {
			d = &diffs[i]
		}
	}
	// GitLab needs both paths: without old_path it cannot find the line.
	if d == nil || str(p, "old_path") != d.OldPath {
		return 400, map[string]any{"message": badPosition}
	}
	ls := lines(d.Diff)
	old, ok1 := num(p, "old_line")
	nw, ok2 := num(p, "new_line")
	at := find(ls, old, nw)
	if !ok1 || !ok2 || at < 0 {
		return 400, map[string]any{"message": badPosition}
	}
	end := at
	if lr, ok := p["line_range"]; ok && lr != nil {
		r, _ := lr.(map[string]any)
		if !onlyCodeAndType(r) {
			return 400, map[string]any{"message": badSchema}
		}
		start, _ := r["start"].(map[string]any)
		stop, _ := r["end"].(map[string]any)
		i, j := rangeEnd(ls, path, start), rangeEnd(ls, path, stop)
		// The discussion is anchored on the range's first line.
		if i < 0 || j < 0 || i != at || j < i {
			return 400, map[string]any{"message": `400 Bad request - Note {:position=>["line_range is invalid"]}`}
		}
		end = j
	}
	if msg := checkSuggestions(body, ls, at, end); msg != "" {
		return 400, map[string]any{"message": msg}
	}
	return 0, nil
}

// onlyCodeAndType tells whether both ends of a line_range hold only a
// line_code and a type. GitLab documents old_line and new_line there too,
// but declares them strings for its API and integers for its position
// schema, so that no value passes (and GitLab 17.7 and before allow no
// other member at all): "must be a valid json schema".
func onlyCodeAndType(r map[string]any) bool {
	for _, e := range []string{"start", "end"} {
		m, _ := r[e].(map[string]any)
		for k := range m {
			if k != "line_code" && k != "type" {
				return false
			}
		}
	}
	return true
}

// rangeEnd returns the index of the line an end of a line_range names,
// or -1 when it names none or its type is not the line's.
func rangeEnd(ls []line, path string, e map[string]any) int {
	if e == nil {
		return -1
	}
	for i, l := range ls {
		if str(e, "line_code") != lineCode(path, l.old, l.new) {
			continue
		}
		want := "old"
		if l.kind == '+' {
			want = "new"
		}
		if str(e, "type") != want {
			return -1
		}
		return i
	}
	return -1
}

var suggestion = regexp.MustCompile("(?m)^(`{3,}|~{3,})suggestion(?::-(\\d+)\\+(\\d+))?[ \t]*$")

// checkSuggestions refuses a suggestion whose lines (-N above the
// discussion's line, +M below) are not the new side's lines of the
// commented region from..to. (GitLab would take it, and show a
// suggestion that replaces other lines than the comment says.)
func checkSuggestions(body string, ls []line, from, to int) string {
	for _, m := range suggestion.FindAllStringSubmatch(body, -1) {
		above, _ := strconv.Atoi(m[2])
		below, _ := strconv.Atoi(m[3])
		first, last := ls[from].new-above, ls[from].new+below
		if ls[from].kind == '-' || first != ls[from].new || last != ls[to].new {
			return fmt.Sprintf("suggestion %q replaces lines %d to %d, not the commented lines %d to %d", strings.TrimLeft(m[0], "`~"), first, last, ls[from].new, ls[to].new)
		}
	}
	return ""
}

func (f *Server) createDiscussion(w http.ResponseWriter, raw string) {
	var in struct {
		Body     *string        `json:"body"`
		Position map[string]any `json:"position"`
	}
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		writeJSON(w, 400, map[string]any{"error": "body is invalid JSON"})
		return
	}
	if in.Body == nil || strings.TrimSpace(*in.Body) == "" {
		writeJSON(w, 400, map[string]any{"error": "body is missing"})
		return
	}
	if utf8.RuneCountInString(*in.Body) > maxNote {
		writeMessage(w, 400, tooLong)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if in.Position != nil {
		if status, msg := f.checkPosition(in.Position, *in.Body); status != 0 {
			writeJSON(w, status, msg)
			return
		}
	}
	d := f.addDiscussion(Bot, *in.Body, in.Position)
	writeJSON(w, 201, d)
}

func (f *Server) resolve(w http.ResponseWriter, r *http.Request, id string) {
	resolved, err := strconv.ParseBool(r.URL.Query().Get("resolved"))
	if err != nil {
		writeJSON(w, 400, map[string]any{"error": "resolved is missing"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.discussions {
		if d.ID != id {
			continue
		}
		if !d.Notes[0].Resolvable {
			writeMessage(w, 400, "400 Bad request - discussion is not resolvable")
			return
		}
		for _, n := range d.Notes {
			if n.Resolvable {
				n.Resolved = resolved
			}
		}
		writeJSON(w, 200, d)
		return
	}
	writeMessage(w, 404, "404 Discussion Not Found")
}

// noteBody reads the body of a note to write, or answers 400.
func noteBody(w http.ResponseWriter, raw string) (string, bool) {
	var in struct {
		Body *string `json:"body"`
	}
	if json.Unmarshal([]byte(raw), &in) != nil || in.Body == nil || strings.TrimSpace(*in.Body) == "" {
		writeJSON(w, 400, map[string]any{"error": "body is missing"})
		return "", false
	}
	if utf8.RuneCountInString(*in.Body) > maxNote {
		writeMessage(w, 400, tooLong)
		return "", false
	}
	return *in.Body, true
}

// reply adds a note to discussion id, as GitLab does: resolvable as the
// thread is, unresolved.
func (f *Server) reply(w http.ResponseWriter, raw, id string) {
	body, ok := noteBody(w, raw)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.discussions {
		if d.ID != id {
			continue
		}
		f.lastID++
		t := "DiscussionNote"
		n := &Note{ID: f.lastID, Type: &t, Body: body, Author: Bot, Resolvable: d.Notes[0].Resolvable, CreatedAt: "2026-12-01T12:00:00.000Z"}
		d.Notes = append(d.Notes, n)
		d.IndividualNote = false
		writeJSON(w, 201, n)
		return
	}
	writeMessage(w, 404, "404 Discussion Not Found")
}

func (f *Server) createNote(w http.ResponseWriter, raw string) {
	body, ok := noteBody(w, raw)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.addDiscussion(Bot, body, nil)
	writeJSON(w, 201, d.Notes[0])
}

func (f *Server) updateNote(w http.ResponseWriter, raw, id string) {
	body, ok := noteBody(w, raw)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.discussions {
		for _, n := range d.Notes {
			if strconv.FormatInt(n.ID, 10) != id {
				continue
			}
			if n.Author != Bot {
				writeMessage(w, 403, "403 Forbidden") // another user's note
				return
			}
			n.Body = body
			writeJSON(w, 200, n)
			return
		}
	}
	writeMessage(w, 404, "404 Note Not Found")
}

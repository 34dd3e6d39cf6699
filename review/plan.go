package review

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/sarifkit/sarifkit/diff/linemap"
	"github.com/sarifkit/sarifkit/sarif"
)

// DefaultMaxComments is how many results are commented inline at most
// unless [Options] say otherwise; the rest go to the summary.
const DefaultMaxComments = 50

// A FilterMode says which lines of a diff take inline comments.
type FilterMode string

// Filter modes, named as reviewdog names them.
const (
	// Added: a result is commented when its primary location starts on
	// a line the request added or changed.
	Added FilterMode = "added"
	// DiffContext: also on the unchanged lines a hunk shows around them.
	DiffContext FilterMode = "diff_context"
)

// A Flavor is the Markdown dialect of a forge's suggestions.
type Flavor int

const (
	// GitHub writes a suggestion as a ```suggestion block that replaces
	// the commented lines.
	GitHub Flavor = iota
	// GitLab writes it as ```suggestion:-0+N, N lines below the line
	// the comment is anchored on (its first).
	GitLab
)

// Options are the choices of [Build]. The zero value reviews the new
// results, comments added lines, at most [DefaultMaxComments] of them,
// with GitHub's suggestions.
type Options struct {
	// States are the baselineStates of a comparison's results that are
	// reviewed: "new" when empty. A log none of whose results has a
	// baselineState is not a comparison: all its results are new.
	States []string
	// Mode is which lines take comments: Added when "".
	Mode FilterMode
	// MaxComments bounds the results commented inline, those earlier
	// runs commented included: DefaultMaxComments when 0, none when
	// negative.
	MaxComments int
	Flavor      Flavor
	// Commit is the request's head commit, named in the summaries when
	// set.
	Commit string
	// Root is the checkout's root as a file: URI: results whose URIs are
	// absolute are in the repository when they are under it.
	Root string
}

// An Item is a reviewed result: one the chosen states select, with where
// it goes.
type Item struct {
	Key            string // the result's key (see the package doc)
	Tool, Category string
	RuleID, Level  string
	Message        string
	Path           string // relative to the repository's root; "" when none
	StartLine      int
	EndLine        int
	// Comment is the inline comment to post, nil when there is none:
	// the result goes to the summary, or was commented before.
	Comment *Comment
	// Posted is the comment an earlier run posted for the result.
	Posted *Posted
	// Why says why the result is not inline: "" when it is.
	Why string

	severity float64
	src      *found
	noPath   string // why Path is "", for the summary
}

// inline tells whether the item is, or will be, commented inline.
func (it *Item) inline() bool { return it.Comment != nil || it.Posted != nil }

// A Group is what one summary is about: the results of a tool and
// category.
type Group struct {
	Key            string
	Tool, Category string
	Items          []*Item
	// Fixed are the comments of earlier runs whose results are no
	// longer reported.
	Fixed []Posted
	// Summary is the summary comment an earlier run posted, nil when
	// none.
	Summary *Posted
	// Marker and Body are the summary to post, or to edit in place.
	Marker, Body string
}

// A Plan is what a review run posts: inline comments (one review on
// GitHub), a summary per tool and category, threads to resolve.
type Plan struct {
	Comments []Comment
	Groups   []*Group
	// Resolve are the comments of fixed results whose threads are still
	// open, with Note, the reply that says so.
	Resolve []Posted
	opts    Options
	// suppressed are the keys of results reported with an accepted
	// suppression: no longer reviewed, not fixed.
	suppressed map[string]bool
}

// Build decides a review: which results of log are commented inline on
// files' changed lines, which go to each group's summary, which comments
// of posted are now fixed. It reads log's results; it changes nothing.
func Build(ctx context.Context, log *sarif.Log, files []File, posted []Posted, opts *Options) (*Plan, error) {
	o := Options{}
	if opts != nil {
		o = *opts
	}
	if len(o.States) == 0 {
		o.States = []string{"new"}
	}
	if o.Mode == "" {
		o.Mode = Added
	}
	if o.Mode != Added && o.Mode != DiffContext {
		return nil, fmt.Errorf("unknown filter mode %q: %q or %q", o.Mode, Added, DiffContext)
	}
	if o.MaxComments == 0 {
		o.MaxComments = DefaultMaxComments
	}
	changes := readFiles(files)
	found, err := readLog(ctx, log, &o)
	if err != nil {
		return nil, err
	}
	p := &Plan{opts: o}
	groups := map[string]*Group{}
	group := func(key, tool, category string) *Group {
		g := groups[key]
		if g == nil {
			g = &Group{Key: key, Tool: tool, Category: category, Marker: Marker{KindSummary, key}.String()}
			groups[key] = g
		}
		if tool != "" {
			g.Tool, g.Category = tool, category
		}
		return g
	}
	for _, run := range log.Runs {
		// Every run names its group, results or not: a group whose
		// results are all fixed still has its tool's name.
		group(groupKey(run.Tool(), run.Category()), run.Tool(), run.Category())
	}
	// A run reviews only the groups (tools and categories) its log has:
	// the comments and summaries of the others are another job's, which
	// it neither calls fixed nor edits.
	ours := func(m Marker) bool { return groups[m.Group()] != nil }
	byKey := map[string]*Posted{}
	for i := range posted {
		ps := &posted[i]
		m, ok := ParseMarker(ps.Marker)
		switch {
		case !ok || !ours(m):
		case ps.Summary && m.Kind == KindSummary:
			g := group(m.Key, "", "")
			if g.Summary == nil {
				g.Summary = ps
			}
		case !ps.Summary && m.Kind == KindComment && (byKey[m.Key] == nil || byKey[m.Key].Resolved && !ps.Resolved):
			// A result commented again after it was fixed has an
			// open comment and a resolved one: the open one is its.
			byKey[m.Key] = ps
		}
	}
	// The results, most severe first; each key once.
	// A result whose key another has (the same fingerprint: a tool
	// reporting twice) is listed in the summary, never commented: a
	// key is one comment.
	var items, dups []*Item
	seen := map[string]bool{}
	for _, f := range found {
		switch {
		case !f.selected:
		case seen[f.key]:
			f.item.Why = "the same key as another result"
			dups = append(dups, f.item)
		default:
			seen[f.key] = true
			items = append(items, f.item)
		}
	}
	slices.SortStableFunc(items, func(a, b *Item) int {
		return cmp.Or(-cmp.Compare(sarif.LevelRank(a.Level), sarif.LevelRank(b.Level)), -cmp.Compare(a.severity, b.severity),
			cmp.Compare(a.Path, b.Path), cmp.Compare(a.StartLine, b.StartLine), cmp.Compare(a.Key, b.Key))
	})
	// A result whose comment was resolved (fixed) is back: it is
	// commented again.
	room := o.MaxComments
	for _, it := range items {
		if ps := byKey[it.Key]; ps != nil && !ps.Resolved {
			it.Posted = ps
			room--
		}
	}
	for _, it := range items {
		g := group(groupOf(it.Key), it.Tool, it.Category)
		g.Items = append(g.Items, it)
		if it.Posted != nil {
			continue
		}
		c, lines, why := changes.comment(it, o)
		switch {
		case c == nil:
			it.Why = why
		case room <= 0:
			it.Why = fmt.Sprintf("over the limit of %d inline comments", max(o.MaxComments, 0))
		default:
			room--
			c.Body = commentBody(it, c, lines, o)
			it.Comment = c
			p.Comments = append(p.Comments, *c)
		}
	}
	for _, it := range dups {
		g := group(groupOf(it.Key), it.Tool, it.Category)
		g.Items = append(g.Items, it)
	}
	// Fixed since: posted keys no longer reported.
	present := map[string]bool{}
	p.suppressed = map[string]bool{}
	for _, f := range found {
		if f.present {
			present[f.key] = true
		}
		if f.suppressed {
			p.suppressed[f.key] = true
		}
	}
	for _, ps := range posted {
		m, ok := ParseMarker(ps.Marker)
		if ps.Summary || !ok || m.Kind != KindComment || present[m.Key] || byKey[m.Key] == nil || byKey[m.Key].ID != ps.ID {
			continue
		}
		g := group(m.Group(), "", "")
		g.Fixed = append(g.Fixed, ps)
		if !ps.Resolved {
			p.Resolve = append(p.Resolve, ps)
		}
	}
	for _, g := range groups {
		if len(g.Items) > 0 || len(g.Fixed) > 0 || g.Summary != nil {
			g.Body = g.render(o, false)
			p.Groups = append(p.Groups, g)
		}
	}
	slices.SortFunc(p.Groups, func(a, b *Group) int {
		return cmp.Or(cmp.Compare(a.Tool, b.Tool), cmp.Compare(a.Category, b.Category), cmp.Compare(a.Key, b.Key))
	})
	return p, nil
}

// groupOf is the group key of a result key.
func groupOf(key string) string { return Marker{KindComment, key}.Group() }

// Note is the reply that closes the thread of a fixed result's comment.
func (p *Plan) Note(ps Posted) string {
	m, _ := ParseMarker(ps.Marker)
	at := ""
	if p.opts.Commit != "" {
		at = " at commit " + shortCommit(p.opts.Commit)
	}
	why := "This result is no longer reported" + at + ": fixed, or its code changed."
	if p.suppressed[m.Key] {
		why = "This result is suppressed" + at + ": no longer reviewed."
	}
	return why + "\n\n" + Marker{KindFixed, m.Key}.String() + "\n"
}

// Apply posts the plan to f: the inline comments, then each summary
// (created, or edited in place), then the replies that resolve fixed
// results' threads. posted is what [Build] was given. A run with no
// comment posts no review. When the forge refuses some comments (a
// [RefusedError]) their results go to their summaries, the run goes on,
// and Apply returns that error at the end; p.Comments are then those
// posted. Any other error stops it, and wraps [ErrReadOnly] when the
// token may not write.
func (p *Plan) Apply(ctx context.Context, f Forge, posted []Posted) error {
	var refused *RefusedError
	if len(p.Comments) > 0 {
		if err := f.Post(ctx, p.Comments); err != nil {
			if !errors.As(err, &refused) {
				return err
			}
			p.refuse(refused)
		}
	}
	for _, g := range p.Groups {
		if err := f.Summary(ctx, g.Marker, g.Body, posted); err != nil {
			return err
		}
	}
	for _, ps := range p.Resolve {
		if err := f.Resolve(ctx, ps, p.Note(ps)); err != nil {
			return err
		}
	}
	if refused != nil {
		return refused
	}
	return nil
}

// refuse moves the results of the comments the forge refused to their
// summaries.
func (p *Plan) refuse(e *RefusedError) {
	keys := map[string]bool{}
	for _, i := range e.Comments {
		if i >= 0 && i < len(p.Comments) {
			keys[p.Comments[i].Key] = true
		}
	}
	p.Comments = slices.DeleteFunc(p.Comments, func(c Comment) bool { return keys[c.Key] })
	for _, g := range p.Groups {
		changed := false
		for _, it := range g.Items {
			if it.Comment != nil && keys[it.Key] {
				it.Comment, it.Why, changed = nil, "refused by the forge", true
			}
		}
		if changed {
			g.Body = g.render(p.opts, false)
		}
	}
}

// Markdown is the review as one Markdown text, for a run that cannot
// post it: each group's summary listing every result, those that would
// have been commented inline too, without markers.
func (p *Plan) Markdown() string {
	var b strings.Builder
	for i, g := range p.Groups {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(g.render(p.opts, true))
	}
	return b.String()
}

// found is a result of the log as Build reads it. Only a result under
// review keeps its Item and its model; the others keep their key.
type found struct {
	key      string
	line     int    // its start line, to rank results of the same text
	text     string // a hash of its text, for a result without fingerprints
	selected bool   // in the states reviewed, and not suppressed
	present  bool   // still reported: not absent, not suppressed
	// suppressed: reported, with an accepted suppression (not absent)
	suppressed bool
	item       *Item
	res        *gosarif.Result
	run        *sarif.Run
}

// isReport tells whether log is a comparison's report: a result has a
// baselineState.
func isReport(ctx context.Context, log *sarif.Log) (bool, error) {
	for _, run := range log.Runs {
		for i := range run.Len() {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return false, err
				}
			}
			r, err := run.Result(i)
			if err != nil {
				return false, err
			}
			if len(r.Member("baselineState")) > 0 {
				return true, nil
			}
		}
	}
	return false, nil
}

// readLog reads the results of every run of log, with their keys.
func readLog(ctx context.Context, log *sarif.Log, o *Options) ([]*found, error) {
	report, err := isReport(ctx, log)
	if err != nil {
		return nil, err
	}
	var all []*found
	for _, run := range log.Runs {
		rv := run.Resolver()
		tool, category := run.Tool(), run.Category()
		gk := groupKey(tool, category)
		var texts []*found // results keyed by their text: ranks to give
		for i := range run.Len() {
			if i%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			r, err := run.Result(i)
			if err != nil {
				return nil, err
			}
			res, err := run.DecodeResult(i, r)
			if err != nil {
				return nil, err
			}
			it := &Item{Tool: tool, Category: category, RuleID: rv.RuleID(res), Level: rv.Level(res)}
			rule := rv.Rule(res)
			it.Message = sarif.MessageText(&res.Message, rule)
			it.severity, _ = sarif.SecuritySeverity(rule)
			uri := rv.PrimaryURI(res)
			it.Path = repoPath(uri, o.Root)
			if it.Path == "" {
				it.noPath = whyNoPath(uri, o.Root)
			}
			snippet := ""
			if pl := sarif.PrimaryLocation(res); pl != nil && pl.Region != nil {
				reg := pl.Region
				it.StartLine = deref(reg.StartLine)
				it.EndLine = max(deref(reg.EndLine), it.StartLine)
				if reg.Snippet != nil && reg.Snippet.Text != nil {
					snippet = strings.TrimSpace(*reg.Snippet.Text)
				}
			}
			state := derefs(res.BaselineState)
			suppressed := sarif.AcceptedSuppression(res) != nil
			f := &found{line: it.StartLine, run: run, present: state != "absent" && !suppressed, suppressed: suppressed && state != "absent"}
			// A result without a state is new in a plain log, and in a
			// report a base result left out of the comparison.
			f.selected = !suppressed && (state == "" && !report || slices.Contains(o.States, state))
			if id := printOf(res); id != "" {
				f.key = gk + "-" + hashHex(24, "print", it.RuleID, it.Path, id)
			} else {
				f.text = hashHex(64, "text", it.RuleID, it.Path, it.Message, snippet)
				texts = append(texts, f)
			}
			if f.selected {
				f.item, f.res, it.src = it, res, f
			}
			all = append(all, f)
		}
		// Results without fingerprints: their text, and their rank among
		// those of the same text, in line order.
		slices.SortStableFunc(texts, func(a, b *found) int {
			return cmp.Or(cmp.Compare(a.text, b.text), cmp.Compare(a.line, b.line))
		})
		rank := 0
		for i, f := range texts {
			if i > 0 && texts[i-1].text == f.text {
				rank++
			} else {
				rank = 0
			}
			f.key = gk + "-" + hashHex(24, "text", f.text, strconv.Itoa(rank))
		}
	}
	for _, f := range all {
		if f.item != nil {
			f.item.Key = f.key
		}
	}
	return all, nil
}

// printOf is a result's identity by its fingerprints, "" when it has
// none: its primaryLocationLineHash (GitHub's) with its column (CodeQL's
// primaryLocationStartColumnFingerprint, else the region's startColumn:
// a line hash names a line, and a tool may report one rule twice on a
// line, as gosec's G103 does), else its fingerprints.
func printOf(res *gosarif.Result) string {
	if v, ok := res.PartialFingerprints[sarif.PrimaryLocationLineHash].(string); ok && v != "" {
		col, ok := res.PartialFingerprints["primaryLocationStartColumnFingerprint"].(string)
		if !ok {
			col = "@"
			if pl := sarif.PrimaryLocation(res); pl != nil && pl.Region != nil && pl.Region.StartColumn != nil {
				col += strconv.Itoa(*pl.Region.StartColumn)
			}
		}
		return "plh\x00" + v + "\x00" + col
	}
	keys := make([]string, 0, len(res.Fingerprints))
	for k, v := range res.Fingerprints {
		if _, ok := v.(string); ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s\x00%s\x00", k, res.Fingerprints[k])
	}
	return b.String()
}

// whyNoPath says why a result's URI is no file of the repository.
func whyNoPath(uri, root string) string {
	switch {
	case uri == "":
		return "no location"
	case sarif.Scheme(uri) == "file" && root == "":
		return "an absolute path, and the checkout is not known"
	case sarif.Scheme(uri) == "file":
		return "an absolute path outside the checkout"
	case sarif.Scheme(uri) != "":
		return "not a file of the repository"
	case strings.HasPrefix(uri, "/"):
		return "an absolute path outside the checkout"
	}
	return "a path outside the repository"
}

// repoPath is a result URI as a path relative to the repository's root,
// "" when it is not in it.
func repoPath(uri, root string) string {
	if uri == "" {
		return ""
	}
	if root != "" && sarif.Scheme(uri) == "file" {
		if rel, ok := sarif.RelativePath(uri, root); ok {
			return rel
		}
		return ""
	}
	p := sarif.NormalizeURI(uri)
	if p == "" || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "../") || p == ".." || sarif.Scheme(uri) != "" {
		return ""
	}
	return p
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// A newLine is a line of a changed file's new side that a hunk shows.
type newLine struct {
	kind byte // '+' or ' '
	old  int  // its old line, for a context line
	hunk int
	text string
}

// changes are the request's files by path, with the lines their patches
// show.
type changes map[string]*changedFile

type changedFile struct {
	File
	lines map[int]newLine
	// noLines says why the file takes no comment: its patch is missing
	// (binary, or too large for the forge) or unreadable; "" when it has
	// lines.
	noLines string
}

// readFiles reads the patches of the request's files. A patch that
// cannot be read leaves its file without lines (its results go to the
// summary, saying why), not the review.
func readFiles(files []File) changes {
	c := changes{}
	for _, f := range files {
		cf := &changedFile{File: f, lines: map[int]newLine{}}
		if f.Patch == "" {
			cf.noLines = "no diff from the forge (binary, or too large)"
		} else if lines, err := linemap.ReadPatch(f.Patch); err != nil {
			cf.noLines = "the forge's diff of the file cannot be read"
		} else {
			for _, l := range lines {
				if l.Kind != '-' {
					cf.lines[l.New] = newLine{kind: l.Kind, old: l.Old, hunk: l.Hunk, text: l.Text}
				}
			}
		}
		c[f.Path] = cf
	}
	return c
}

// comment returns the inline comment of an item, without its body, and
// the text of its lines; or why it has none.
func (c changes) comment(it *Item, o Options) (cm *Comment, lines []string, why string) {
	if it.Path == "" {
		return nil, nil, it.noPath
	}
	if it.StartLine <= 0 {
		return nil, nil, "no line"
	}
	cf := c[it.Path]
	if cf == nil {
		return nil, nil, "file not changed"
	}
	if cf.noLines != "" {
		return nil, nil, cf.noLines
	}
	start, ok := cf.lines[it.StartLine]
	if !ok || start.kind == ' ' && o.Mode == Added {
		return nil, nil, "line not changed"
	}
	cm = &Comment{Path: cf.Path, OldPath: cf.OldPath, StartLine: it.StartLine, Line: it.StartLine, Key: it.Key}
	if end, ok := cf.lines[it.EndLine]; ok && it.EndLine > it.StartLine && end.hunk == start.hunk {
		cm.Line = it.EndLine
	}
	if start.kind == ' ' {
		cm.OldLine = start.old
	}
	if end := cf.lines[cm.Line]; end.kind == ' ' {
		cm.OldEndLine = end.old
	}
	for l := cm.StartLine; l <= cm.Line; l++ {
		lines = append(lines, cf.lines[l].text)
	}
	return cm, lines, ""
}

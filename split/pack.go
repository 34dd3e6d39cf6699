package split

import (
	"compress/gzip"
	"context"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/sarifkit/sarifkit/sarif"
)

// maxReplans bounds the plans made again after a measured file was over
// the limit; each makes an estimate larger, by at least 2%.
const maxReplans = 64

// MaxNameLength is the longest [File].Name.
const MaxNameLength = 100

// plannedFile is one file of a plan.
type plannedFile struct {
	name  string
	units []*unit
	runs  []*sarif.Run
	est   int64
	gz    int64 // measured; 0 until then
}

func (f *plannedFile) results() int {
	n := 0
	for _, r := range f.runs {
		n += r.Len()
	}
	return n
}

// unit is what must go into one file: the parts whose upload keys (see
// uploadKey) are one.
type unit struct {
	key   string
	parts []*part
	owner []*runPlan
	est   int64
}

// uploadKey is the key by which GitHub's upload action (its
// validateUniqueCategory) refuses a second upload of one tool and
// category in a job: the whole automationDetails.id and the tool's name,
// each with every UTF-16 code unit other than an ASCII letter, digit or
// '_' replaced by '_', in upper case, joined by '_'. Runs of one key must
// go to one file.
func uploadKey(r *sarif.Run) string {
	id, ok := idOf(r)
	return uploadKeyOf(r.Tool(), id, ok)
}

// uploadKeyOf is [uploadKey] of a run of the tool and id.
func uploadKeyOf(tool, id string, hasID bool) string {
	s := "_"
	if hasID {
		s = sanitizeKey(id)
	}
	return s + "_" + sanitizeKey(tool)
}

func sanitizeKey(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c >= 'a' && c <= 'z':
			b.WriteRune(c - 'a' + 'A')
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			b.WriteRune(c)
		default:
			for range utf16.RuneLen(c) {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

// units gathers the parts of every run into units, in order.
func (p *planner) units() []*unit {
	var out []*unit
	byKey := map[string]*unit{}
	for _, rp := range p.runs {
		for _, pt := range rp.parts {
			k := uploadKey(pt.run)
			u := byKey[k]
			if u == nil {
				u = &unit{key: k}
				byKey[k] = u
				out = append(out, u)
			}
			u.parts = append(u.parts, pt)
			u.owner = append(u.owner, rp)
			u.est += rp.estimate(rp.raw(pt))
		}
	}
	return out
}

// pack puts the units into files, each into the first file it fits in.
func (p *planner) pack(units []*unit) ([]*plannedFile, error) {
	var files []*plannedFile
	for _, u := range units {
		if len(u.parts) > p.lim.runs {
			return nil, p.collision(u)
		}
		var f *plannedFile
		for _, g := range files {
			if len(g.runs)+len(u.parts) <= p.lim.runs && g.est+u.est <= p.budget() {
				f = g
				break
			}
		}
		if f == nil {
			f = &plannedFile{}
			files = append(files, f)
		}
		f.units = append(f.units, u)
		f.est += u.est
		for _, pt := range u.parts {
			f.runs = append(f.runs, pt.run)
		}
	}
	return files, nil
}

func (p *planner) collision(u *unit) error {
	e := &CollisionError{Key: u.key}
	for _, pt := range u.parts {
		e.Runs = append(e.Runs, pt.run.Key())
	}
	return e
}

// measure returns the size of the file's log gzip-compressed, as it
// would be written.
func (p *planner) measure(ctx context.Context, f *plannedFile) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	saved := p.log.Runs
	defer func() { p.log.Runs = saved }()
	p.log.Runs = f.runs
	var c countWriter
	zw := gzip.NewWriter(&c)
	if err := p.log.Write(zw, nil); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return c.n, nil
}

// fit packs the parts into files and measures them, planning again
// while a file is over the limit: a file of several units makes the
// estimates of its runs larger, by what the measure says, and is packed
// again; a file of one unit of one part divides that part's run into
// more parts. Measures are kept by the runs a file holds, so that a file
// the new plan leaves as it was is not measured again.
func (p *planner) fit(ctx context.Context) ([]*plannedFile, error) {
	measured := map[string]int64{}
	for range maxReplans {
		files, err := p.pack(p.units())
		if err != nil {
			return nil, err
		}
		var over *plannedFile
		for _, f := range files {
			key := runsKey(f.runs)
			gz, ok := measured[key]
			if !ok {
				if gz, err = p.measure(ctx, f); err != nil {
					return nil, err
				}
				measured[key] = gz
			}
			f.gz = gz
			if gz > p.lim.gzip {
				over = f
				break
			}
		}
		if over == nil {
			nameFiles(files)
			return files, nil
		}
		p.st.Replans++
		factor := float64(over.gz)/float64(max(over.est, 1))*1.02 + 0.02
		if len(over.units) == 1 {
			u := over.units[0]
			if len(u.parts) > 1 {
				return nil, p.collision(u)
			}
			rp := u.owner[0]
			rp.corr *= factor
			if !contains(rp.reasons, ReasonSize) {
				rp.reasons = append(rp.reasons, ReasonSize)
			}
			b, err := p.partsNeeded(rp, rp.b*2)
			if err != nil {
				return nil, err
			}
			if err := p.refine(ctx, rp, b); err != nil {
				return nil, err
			}
			continue
		}
		done := map[*runPlan]bool{}
		for _, u := range over.units {
			for _, rp := range u.owner {
				if !done[rp] {
					rp.corr *= factor
					done[rp] = true
				}
			}
		}
	}
	return nil, fmt.Errorf("no plan found in %d attempts that keeps every file under %d bytes gzip-compressed", maxReplans, p.lim.gzip)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// runsKey names a set of runs by their addresses.
func runsKey(runs []*sarif.Run) string {
	var b strings.Builder
	for _, r := range runs {
		fmt.Fprintf(&b, "%p,", r)
	}
	return b.String()
}

// nameFiles names each file after its first run's tool and category,
// and, when it holds more runs, how many ("-and-N-more").
func nameFiles(files []*plannedFile) {
	used := map[string]bool{}
	for _, f := range files {
		r := f.runs[0]
		base := safeName(r.Tool())
		if base == "" {
			base = "run"
		}
		if id, ok := r.Key().AutomationID(); ok {
			if c := safeName(strings.TrimSuffix(id, "/")); c != "" {
				base += "-" + c
			}
		}
		more := ""
		if len(f.runs) > 1 {
			more = fmt.Sprintf("-and-%d-more", len(f.runs)-1)
		}
		if len(base) > MaxNameLength-8-len(more) {
			base = strings.TrimRight(base[:MaxNameLength-8-len(more)], "-._")
		}
		base += more
		name := base
		for n := 2; used[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		used[strings.ToLower(name)] = true
		f.name = name
	}
}

// safeName keeps ASCII letters, digits, '.', '-' and '_' of s, turns
// every run of other characters into one '-', drops a '.' or '-' after
// '.' or '-', and trims '.', '-' and '_' from both ends (so no name starts with
// a dot or names a parent).
func safeName(s string) string {
	var b strings.Builder
	dash, prev := false, rune(0)
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_'
		if !ok {
			if !dash {
				b.WriteByte('-')
				dash, prev = true, '-'
			}
			continue
		}
		if (c == '.' || c == '-') && (prev == '.' || prev == '-') {
			continue // no ".." in a name, no "--"
		}
		dash = false
		prev = c
		b.WriteRune(c)
		if b.Len() > 2*MaxNameLength {
			break
		}
	}
	return strings.Trim(b.String(), ".-_")
}

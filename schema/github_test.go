package schema

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"github.com/sarifkit/sarifkit/internal/sariftest"
	"slices"
	"strings"
	"testing"

	"github.com/sarifkit/sarifkit/sarif"
)

func TestGitHubFixture(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const f = "../testdata/invalid/github-limits.sarif"
	v := newValidator(t, &Options{GitHub: true, CheckoutURI: "file:///home/ci/repo"})
	got, err := v.ValidateFile(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/runs/0/results/0 github/missing-rule-id",
		"/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri github/uri-outside-checkout",
		"/runs/0/tool/driver/rules/0/properties/tags github/too-many-tags",
		"/runs/1 github/duplicate-category",
	}
	if !slices.Equal(ids(got), want) {
		t.Errorf("findings:\n got %q\nwant %q", ids(got), want)
	}
	// Without a checkout, absolute file URIs are one warning; URIs
	// relative to a uriBaseId are relative to GitHub, which does not
	// read originalUriBaseIds.
	v = newValidator(t, &Options{GitHub: true})
	got, err = v.ValidateFile(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	var abs []Finding
	for _, f := range got {
		if f.ID == "github/absolute-uri" {
			abs = append(abs, f)
		}
	}
	if len(abs) != 1 || abs[0].Severity != SeverityWarning || abs[0].Pointer != "/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri" {
		t.Errorf("want one warning about the absolute URI, got %v", abs)
	}
	// Without --github the log is valid.
	got, err = newValidator(t, nil).ValidateFile(ctx, f)
	if err != nil || len(got) != 0 {
		t.Errorf("want no findings without GitHub checks, got %v %v", got, err)
	}
}

// logWith builds a log with one run per element of runs; each run string
// is the JSON text of the run's members other than tool.
func logWith(runs ...string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version":"2.1.0","runs":[`)
	for i, r := range runs {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"tool":{"driver":{"name":"t%d","rules":[{"id":"R"}]}}%s}`, i, r)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

func repeat(n int, s string) string {
	return strings.TrimSuffix(strings.Repeat(s+",", n), ",")
}

func TestGitHubLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	v := newValidator(t, &Options{GitHub: true})
	loc := `{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}`
	result := `{"ruleId":"R","message":{"text":"m"}%s}`
	located := `{"ruleId":"R","message":{"text":"m"},"locations":[` + loc + `]%s}`
	tfl := `{"location":{"message":{"text":"s"}}}`
	cases := []struct {
		name string
		log  []byte
		want []string
	}{
		{"at every limit", logWith(
			`,"results":[`+repeat(5000, fmt.Sprintf(located, ""))+`]`,
			`,"results":[`+fmt.Sprintf(result, `,"locations":[`+repeat(100, loc)+`]`)+`]`,
			`,"results":[`+fmt.Sprintf(located, `,"codeFlows":[{"threadFlows":[{"locations":[`+repeat(1000, tfl)+`]}]}]`)+`]`,
		), nil},
		{"over what GitHub keeps", logWith(
			`,"results":[`+repeat(5001, fmt.Sprintf(located, ""))+`]`,
			`,"results":[`+fmt.Sprintf(result, `,"locations":[`+repeat(101, loc)+`]`)+`]`,
			`,"results":[`+fmt.Sprintf(located, `,"codeFlows":[{"threadFlows":[{"locations":[`+repeat(600, tfl)+`]},{"locations":[`+repeat(401, tfl)+`]}]}]`)+`]`,
		), []string{
			"/runs/0/results github/results-truncated",
			"/runs/1/results/0/locations github/locations-truncated",
			"/runs/2/results/0/codeFlows github/thread-flow-locations-truncated",
		}},
		{"over the maxima", logWith(
			`,"results":[`+repeat(25001, fmt.Sprintf(located, ""))+`]`,
			`,"results":[`+fmt.Sprintf(result, `,"locations":[`+repeat(1001, loc)+`]`)+`]`,
			`,"results":[`+fmt.Sprintf(located, `,"codeFlows":[{"threadFlows":[{"locations":[`+repeat(10001, tfl)+`]}]}]`)+`]`,
		), []string{
			"/runs/0/results github/too-many-results",
			"/runs/1/results/0/locations github/too-many-locations",
			"/runs/2/results/0/codeFlows github/too-many-thread-flow-locations",
		}},
		{"too many runs", logWith(strings.Split(strings.Repeat(`,"results":[]|`, 21), "|")[:21]...),
			[]string{"/runs github/too-many-runs"}},
		{"too many extensions and rules", []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[` +
			func() string {
				var r []string
				for i := range 25001 {
					r = append(r, fmt.Sprintf(`{"id":"R%d"}`, i))
				}
				return strings.Join(r, ",")
			}() + `]},"extensions":[` + func() string {
			var e []string
			for i := range 101 {
				e = append(e, fmt.Sprintf(`{"name":"e%d"}`, i))
			}
			return strings.Join(e, ",")
		}() + `]},"results":[]}]}`),
			[]string{"/runs/0/tool/driver/rules github/too-many-rules", "/runs/0/tool/extensions github/too-many-extensions"}},
		{"same tool, distinct categories", []byte(`{"version":"2.1.0","runs":[
			{"tool":{"driver":{"name":"x"}},"automationDetails":{"id":"a/1"},"results":[]},
			{"tool":{"driver":{"name":"x"}},"automationDetails":{"id":"b/1"},"results":[]},
			{"tool":{"driver":{"name":"x"}},"results":[]}]}`), nil},
		{"same tool, same category", []byte(`{"version":"2.1.0","runs":[
			{"tool":{"driver":{"name":"x"}},"results":[]},
			{"tool":{"driver":{"name":"x"}},"results":[]}]}`), []string{"/runs/1 github/duplicate-category"}},
		{"rule id through ruleIndex", []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[{"id":"A"}]}},
			"results":[{"ruleIndex":0,"message":{"text":"m"},"locations":[` + loc + `]},{"rule":{"index":0},"message":{"text":"m"},"locations":[` + loc + `]}]}]}`), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := v.ValidateBytes(ctx, c.log, "x")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(got), c.want) {
				t.Errorf("findings:\n got %q\nwant %q", ids(got), c.want)
			}
		})
	}
}

// A log whose gzip-compressed form is over 10 MB is rejected; the size is
// that of the decompressed content compressed again, so a gzip input is
// judged the same.
func TestGitHubGzipSize(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	b.WriteString(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[`)
	noise := make([]byte, 3000)
	for i := range 4000 { // about 16 MB of base64 noise, about 12 MB gzipped
		if i > 0 {
			b.WriteByte(',')
		}
		rand.Read(noise)
		fmt.Fprintf(&b, `{"ruleId":"R","message":{"text":%q},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":1}}}]}`, base64.StdEncoding.EncodeToString(noise))
	}
	b.WriteString(`]}]}`)
	v := newValidator(t, &Options{GitHub: true})
	got, err := v.ValidateBytes(context.Background(), b.Bytes(), "big")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{" github/too-large"}; !slices.Equal(ids(got), want) {
		t.Errorf("got %q, want %q", ids(got), want)
	}
}

// Absolute file URIs under the checkout, whatever the case of a Windows
// drive letter or the percent-encoding, as GitHub's Windows runners and
// the tools on them write them.
func TestCheckoutURIComparedAsPaths(t *testing.T) {
	t.Parallel()
	log := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"R"}]}},"results":[
	 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///D:/a/app/app/src/x.go"},"region":{"startLine":1}}}]},
	 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///d:/a/app/app/src/my%20file.go"},"region":{"startLine":1}}}]},
	 {"ruleId":"R","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"file:///d:/a/app/other/y.go"},"region":{"startLine":1}}}]}]}]}`
	for _, checkout := range []string{"file:///D:/a/app/app", "file:///d:/a/app/app/", "file:///d%3A/a/app/app"} {
		v := newValidator(t, &Options{GitHub: true, CheckoutURI: checkout})
		findings, err := v.ValidateBytes(context.Background(), []byte(log), "x")
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(findings); !slices.Equal(got, []string{"/runs/0/results/2/locations/0/physicalLocation/artifactLocation/uri github/uri-outside-checkout"}) {
			t.Errorf("checkout %s: %q", checkout, got)
		}
	}
}

// The GitHub check for a missing rule id asks package sarif's resolver:
// a result is reported exactly when the resolver finds no rule id for it.
// (Before: the check looked in the driver alone, so a result that named
// an extension's rule by index was reported while sarif.RuleID answered
// js/xss.)
func TestMissingRuleIDAgreesWithResolver(t *testing.T) {
	t.Parallel()
	const f = "../testdata/resolve/questions.sarif"
	got, err := newValidator(t, &Options{GitHub: true}).ValidateFile(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]bool{}
	for _, g := range got {
		if g.ID == "github/missing-rule-id" {
			missing[g.Pointer] = true
		}
	}
	l, err := sarif.ReadFile(t.Context(), f, nil)
	if err != nil {
		t.Fatal(err)
	}
	rv := l.Runs[0].Resolver()
	reported := 0
	for i, text := range sariftest.Texts(t, l.Runs[0]) {
		r, err := text.Decode()
		if err != nil {
			t.Fatal(err)
		}
		ptr := fmt.Sprintf("/runs/0/results/%d", i)
		if want := rv.RuleID(r) == ""; missing[ptr] != want {
			t.Errorf("%s (%s): missing-rule-id reported %v, resolver finds %q", ptr, *r.Message.Text, missing[ptr], rv.RuleID(r))
		}
		if missing[ptr] {
			reported++
		}
	}
	if reported != 3 {
		t.Errorf("%d results without a rule id, want 3", reported)
	}
}

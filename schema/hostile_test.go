package schema

import (
	"context"
	"strings"
	"testing"
)

// JSON that lies: logs built to mislead a reader.

// A duplicate member name is a finding at the second member, wherever
// it is (a property bag too), whether the log is a file or a stream;
// the log is not checked further.
func TestValidateDuplicateNames(t *testing.T) {
	t.Parallel()
	v := newValidator(t, nil)
	ctx := context.Background()
	const tool = `"tool":{"driver":{"name":"A"}}`
	cases := map[string]string{
		`{"version":"2.1.0","runs":[{` + tool + `,"results":[]}],"runs":[{` + tool + `,"results":[]}]}`:               "/runs",
		`{"version":"2.1.0","runs":[{` + tool + `,"results":[{"message":{"text":"a"},"properties":{"k":1,"k":1}}]}]}`: "/runs/0/results/0/properties/k",
	}
	for log, ptr := range cases {
		for _, stream := range []bool{false, true} {
			var fs []Finding
			var err error
			if stream {
				fs, err = v.ValidateReader(ctx, strings.NewReader(log), "x.sarif")
			} else {
				fs, err = v.ValidateBytes(ctx, []byte(log), "x.sarif")
			}
			if err != nil || len(fs) != 1 || fs[0].ID != "json/duplicate-name" || fs[0].Pointer != ptr || fs[0].Severity != SeverityError || fs[0].Line != 1 || fs[0].Column == 0 {
				t.Errorf("%s: %v %+v, want one json/duplicate-name finding at %s", log, err, fs, ptr)
			}
		}
	}
}

// An integer beyond 64 bits, or a number beyond 64-bit floats, where the
// schema wants an integer is a finding with its pointer, whether the
// generated checker or the generic validator reads it; an index beyond
// int32 is not shown as 2147483647.
func TestValidateNumbersOutOfRange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	logWith := func(ruleIndex, startLine string) string {
		return `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"r"}]}},"results":[{"message":{"text":"m"},"ruleIndex":` + ruleIndex +
			`,"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":` + startLine + `}}}]}]}]}`
	}
	const (
		ruleIndex = "/runs/0/results/0/ruleIndex"
		startLine = "/runs/0/results/0/locations/0/physicalLocation/region/startLine"
	)
	cases := []struct {
		log  string
		want []string // "pointer id: message prefix"
	}{
		{logWith("1e999", "1"), []string{ruleIndex + " json/number-range: 1e999 is not a finite number"}},
		{logWith("99999999999999999999", "1"), []string{ruleIndex + " json/number-range: 99999999999999999999 is beyond the range of a 64-bit integer"}},
		{logWith("0", "1e20"), []string{startLine + " json/number-range: 1e20 is beyond the range of a 64-bit integer"}},
		{logWith("0", "9223372036854775808"), []string{startLine + " json/number-range: 9223372036854775808 is beyond"}},
		{logWith("0", "-1e999"), []string{startLine + " json/number-range: -1e999 is not a finite number"}},
		{logWith("9223372036854775807", "9223372036854775807"), []string{ruleIndex + " ref/rule-index-out-of-range: rule index of 2147483647 or more is out of range"}},
		{logWith("5", "1"), []string{ruleIndex + " ref/rule-index-out-of-range: rule index 5 is out of range"}},
		{logWith("0", "1e3"), nil},
		{`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[],"properties":{"big":1e999,"n":99999999999999999999}}]}`, nil},
	}
	for _, generic := range []bool{false, true} {
		v := newValidator(t, nil)
		v.generic = generic
		for _, c := range cases {
			fs, err := v.ValidateBytes(ctx, []byte(c.log), "x.sarif")
			var got []string
			for _, f := range fs {
				got = append(got, f.Pointer+" "+f.ID+": "+f.Message)
			}
			ok := err == nil && len(got) == len(c.want)
			for i := 0; ok && i < len(got); i++ {
				ok = strings.HasPrefix(got[i], c.want[i])
			}
			if !ok {
				t.Errorf("generic %v: %s:\n got %q (%v)\nwant %q", generic, c.log, got, err, c.want)
			}
		}
	}
}

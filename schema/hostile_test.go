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
			if err != nil || len(fs) != 1 || fs[0].ID != "json/duplicate-name" || fs[0].Pointer != ptr || fs[0].Severity != Error || fs[0].Line != 1 || fs[0].Column == 0 {
				t.Errorf("%s: %v %+v, want one json/duplicate-name finding at %s", log, err, fs, ptr)
			}
		}
	}
}

package schema

import (
	"bytes"
	"context"
	"testing"

	"github.com/sarifkit/sarifkit/internal/gen"
)

// BenchmarkValidate reads and validates a realistic 100k-result log
// (about 58 MB) against the schema and the reference checks, streaming,
// with and without GitHub's or GitLab's checks. The variants show where the time
// goes: "generic" validates every value with the generic validator alone
// (what the generated checker replaced), "in-memory" keeps every
// result's references in memory instead of a temporary file past
// keptRefs.
func BenchmarkValidate(b *testing.B) {
	var buf bytes.Buffer
	if err := gen.Write(&buf, gen.Config{Results: 100_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	for _, bench := range []struct {
		name    string
		github  bool
		gitlab  bool
		tune    func(*Validator)
		quickly bool
	}{
		{name: "schema", quickly: true},
		{name: "schema+github", github: true, quickly: true},
		{name: "schema+gitlab", gitlab: true, quickly: true},
		{name: "schema/generic", tune: func(v *Validator) { v.generic = true }},
		{name: "schema/in-memory", tune: func(v *Validator) { v.keep = 0 }},
	} {
		b.Run(bench.name, func(b *testing.B) {
			if testing.Short() && !bench.quickly {
				b.Skip("a variant for comparison")
			}
			opts := &Options{GitHub: bench.github}
			if bench.gitlab {
				opts.Profiles = []Profile{ProfileGitLab}
			}
			v, err := New(opts)
			if err != nil {
				b.Fatal(err)
			}
			if bench.tune != nil {
				bench.tune(v)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.ValidateBytes(context.Background(), data, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

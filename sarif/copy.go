package sarif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
)

// Copy returns a deep copy of v, a value of the run src's model (a
// *gosarif.ReportingDescriptor, *gosarif.ArtifactLocation, a whole
// *gosarif.Run...), for use in the run dst: what src recorded beyond the
// model for v and everything under it (unknown members, exact numbers) is
// carried over, so that dst writes the copy exactly as src would have
// written v. src and dst may be the same run.
func Copy[T any](dst, src *Run, v *T) (*T, error) {
	if v == nil {
		return nil, nil
	}
	if dst.extra == nil {
		dst.extra = extras{}
	}
	var buf bytes.Buffer
	e := newEncoder(&buf, src.extra, "")
	e.value(reflect.ValueOf(v))
	if e.err != nil {
		return nil, fmt.Errorf("copying a %T: %w", v, e.err)
	}
	if err := e.flush(); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("copying a %T: %w", v, err)
	}
	var out *T
	newDecoder(dst.extra).value(reflect.ValueOf(&out).Elem(), tree, true)
	return out, nil
}

// CopyRun returns a copy of run without its results, for another log:
// its model and what it recorded beyond it.
func CopyRun(run *Run) (*Run, error) {
	out := &Run{extra: extras{}, memory: []Result{}}
	m, err := Copy(out, run, run.Model)
	if err != nil {
		return nil, err
	}
	out.Model = m
	return out, nil
}

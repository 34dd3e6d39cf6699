package sarif

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
)

// Copy returns a deep copy of v, a go-sarif value (a *Result, *Run,
// *ReportingDescriptor...) that belongs to the log src, for use in the log
// dst: whatever src recorded beyond the model for v and everything under
// it (unknown members, exact numbers) is carried over to dst, so that dst
// writes the copy exactly as src would have written v. src and dst may be
// the same log.
func Copy[T any](dst, src *Log, v *T) (*T, error) {
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
		return nil, fmt.Errorf("sarif: copying a %T: %w", v, e.err)
	}
	if err := e.flush(); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("sarif: copying a %T: %w", v, err)
	}
	var out *T
	newDecoder(dst.extra).value(reflect.ValueOf(&out).Elem(), tree, true)
	return out, nil
}

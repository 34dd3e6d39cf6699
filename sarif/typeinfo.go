package sarif

import (
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v2/sarif"
)

// fieldInfo describes one JSON member of a go-sarif struct.
type fieldInfo struct {
	name      string
	index     []int
	typ       reflect.Type
	omitEmpty bool
	// alwaysEmitted is true for members the encoder writes even when zero:
	// non-nilable types without omitempty (e.g. result.message).
	alwaysEmitted bool
}

// structInfo describes the JSON members of a go-sarif struct type, in the
// order the encoder writes them.
type structInfo struct {
	// kind is the SARIF schema's name for the type: the Go name with a
	// lowercase first letter ("artifactLocation").
	kind   string
	fields []fieldInfo
	byName map[string]int
	always []int // indices into fields of the alwaysEmitted members
}

var timeType = reflect.TypeFor[time.Time]()

// typeInfos returns the member tables of every struct type reachable from
// gosarif.Report. It is computed once and never modified afterwards.
var typeInfos = sync.OnceValue(func() map[reflect.Type]*structInfo {
	m := map[reflect.Type]*structInfo{}
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == timeType || m[t] != nil {
			return
		}
		r, size := utf8.DecodeRuneInString(t.Name())
		info := &structInfo{kind: string(unicode.ToLower(r)) + t.Name()[size:], byName: map[string]int{}}
		m[t] = info
		collectFields(t, nil, info)
		for i, f := range info.fields {
			info.byName[f.name] = i
			if f.alwaysEmitted {
				info.always = append(info.always, i)
			}
			visit(t.FieldByIndex(f.index).Type)
		}
	}
	visit(reflect.TypeFor[gosarif.Report]())
	return m
})

// collectFields gathers the JSON members of t, flattening embedded structs
// the way encoding/json does (a shallower name wins), and orders them the
// way SARIF logs are conventionally written: "$schema" and "version" first,
// "properties" last, the rest in declaration order.
func collectFields(t reflect.Type, index []int, info *structInfo) {
	var embedded []reflect.StructField
	seen := map[string]bool{}
	for _, f := range info.fields {
		seen[f.name] = true
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
			embedded = append(embedded, sf)
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		k := sf.Type.Kind()
		nilable := k == reflect.Pointer || k == reflect.Slice || k == reflect.Map || k == reflect.Interface
		omit := strings.Contains(","+opts+",", ",omitempty,")
		info.fields = append(info.fields, fieldInfo{
			name:          name,
			index:         append(append([]int(nil), index...), i),
			typ:           sf.Type,
			omitEmpty:     omit,
			alwaysEmitted: !nilable && !omit,
		})
	}
	for _, sf := range embedded {
		collectFields(sf.Type, append(append([]int(nil), index...), sf.Index...), info)
	}
	if index == nil {
		rank := func(name string) int {
			switch name {
			case "$schema":
				return 0
			case "version":
				return 1
			case "properties":
				return 3
			}
			return 2
		}
		fs := info.fields
		sorted := make([]fieldInfo, 0, len(fs))
		for r := range 4 {
			for _, f := range fs {
				if rank(f.name) == r {
					sorted = append(sorted, f)
				}
			}
		}
		info.fields = sorted
	}
}

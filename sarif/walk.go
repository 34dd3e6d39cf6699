package sarif

import "reflect"

// Walk calls fn for every non-nil pointer to a go-sarif struct reachable
// from v (itself such a pointer or a slice of them): every location,
// artifactLocation, threadFlowLocation, region, message... in document
// order. Property bags are not entered. It is the way to find every place
// that refers to a run-level array by index.
func Walk(v any, fn func(any)) {
	walk(reflect.ValueOf(v), fn, typeInfos())
}

func walk(v reflect.Value, fn func(any), infos map[reflect.Type]*structInfo) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || infos[v.Type().Elem()] == nil {
			return
		}
		fn(v.Interface())
		walk(v.Elem(), fn, infos)
	case reflect.Struct:
		info := infos[v.Type()]
		if info == nil {
			return
		}
		for i := range info.fields {
			f := v.FieldByIndex(info.fields[i].index)
			switch f.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Struct:
				walk(f, fn, infos)
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			walk(v.Index(i), fn, infos)
		}
	case reflect.Map:
		if v.Type().Elem().Kind() == reflect.Pointer {
			iter := v.MapRange()
			for iter.Next() {
				walk(iter.Value(), fn, infos)
			}
		}
	}
}

package sarif_test

import (
	"fmt"
	"reflect"
	"sort"
)

// firstDifference describes where two generic JSON values first differ.
func firstDifference(want, got any, path string) string {
	if reflect.DeepEqual(want, got) {
		return ""
	}
	wm, ok1 := want.(map[string]any)
	gm, ok2 := got.(map[string]any)
	if ok1 && ok2 {
		keys := map[string]bool{}
		for k := range wm {
			keys[k] = true
		}
		for k := range gm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			w, inW := wm[k]
			g, inG := gm[k]
			switch {
			case !inW:
				return fmt.Sprintf("%s/%s: unexpected member %v", path, k, g)
			case !inG:
				return fmt.Sprintf("%s/%s: missing member (want %v)", path, k, w)
			}
			if d := firstDifference(w, g, path+"/"+k); d != "" {
				return d
			}
		}
	}
	wa, ok1 := want.([]any)
	ga, ok2 := got.([]any)
	if ok1 && ok2 && len(wa) == len(ga) {
		for i := range wa {
			if d := firstDifference(wa[i], ga[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
				return d
			}
		}
	}
	return fmt.Sprintf("%s: want %#v, got %#v", path, want, got)
}

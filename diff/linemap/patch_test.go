package linemap

import (
	"reflect"
	"testing"
)

func TestReadPatch(t *testing.T) {
	patch := "@@ -1,3 +1,4 @@ func main() {\n a\n-b\n+B\n+C\n c\r\n@@ -10,0 +12,1 @@\n+z\n\\ No newline at end of file\n"
	got, err := ReadPatch(patch)
	if err != nil {
		t.Fatal(err)
	}
	want := []PatchLine{
		{Kind: ' ', Old: 1, New: 1, Text: "a"},
		{Kind: '-', Old: 2, Text: "b"},
		{Kind: '+', New: 2, Text: "B"},
		{Kind: '+', New: 3, Text: "C"},
		{Kind: ' ', Old: 3, New: 4, Text: "c"},
		{Kind: '+', New: 12, Hunk: 1, Text: "z"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadPatch:\n got %+v\nwant %+v", got, want)
	}
	// An empty context line (some tools strip the space) counts as context.
	got, err = ReadPatch("@@ -1,2 +1,2 @@\n\n-x\n+y\n")
	if err != nil || len(got) != 3 || got[0].Kind != ' ' || got[0].New != 1 || got[2].New != 2 {
		t.Errorf("empty context line: %+v, %v", got, err)
	}
	for _, bad := range []string{"@@ -1,2 +1,2 @@\n a\n", "@@ -1,1 +1,1 @@\n?x\n", "@@ -x +1 @@\n", "@@ -1,1 +1,1 @@\n+a\n+b\n"} {
		if _, err := ReadPatch(bad); err == nil {
			t.Errorf("ReadPatch(%q): no error", bad)
		}
	}
	if got, err := ReadPatch(""); err != nil || len(got) != 0 {
		t.Errorf("empty patch: %v, %v", got, err)
	}
}

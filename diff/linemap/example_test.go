package linemap_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/sarifkit/sarifkit/diff/linemap"
)

// Read git's diff of two revisions (git diff -M --unified=0) and ask where
// lines of base went: a line above the change stays, a line below it
// moves down by the lines added, a changed line maps nowhere, and a
// renamed file's lines follow it.
func ExampleReadGitDiff() {
	const gitDiff = `diff --git a/main.go b/main.go
index 3b18e51..a1b2c3d 100644
--- a/main.go
+++ b/main.go
@@ -3,0 +4,2 @@ package main
+import "fmt"
+
@@ -6 +8 @@ func main() {
-	println("hello")
+	fmt.Println("hello")
diff --git a/util.go b/helpers.go
similarity index 100%
rename from util.go
rename to helpers.go
`
	m, err := linemap.ReadGitDiff(strings.NewReader(gitDiff))
	if err != nil {
		log.Fatal(err)
	}
	for _, q := range []struct {
		path string
		line int
	}{{"main.go", 1}, {"main.go", 5}, {"main.go", 6}, {"main.go", 7}, {"util.go", 4}} {
		if path, line, ok := m.Map(q.path, q.line); ok {
			fmt.Printf("%s:%d is %s:%d\n", q.path, q.line, path, line)
		} else {
			fmt.Printf("%s:%d changed\n", q.path, q.line)
		}
	}
	// Output:
	// main.go:1 is main.go:1
	// main.go:5 is main.go:7
	// main.go:6 changed
	// main.go:7 is main.go:9
	// util.go:4 is helpers.go:4
}

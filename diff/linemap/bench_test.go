package linemap

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// synthDiff returns a git diff of files files of lines lines each, about
// one line in ten changed (replaced, inserted or deleted), as git diff
// -U3 prints it: the shape of the diff of two versions of a large
// repository.
func synthDiff(files, lines int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for f := range files {
		name := fmt.Sprintf("pkg%d/file%d.go", f%50, f)
		fmt.Fprintf(&b, "diff --git a/%s b/%s\nindex 1111111..2222222 100644\n--- a/%s\n+++ b/%s\n", name, name, name, name)
		old, neu := 1, 1
		for old <= lines-8 {
			gap := 3 + r.IntN(15)
			if old+gap+4 > lines {
				break
			}
			old += gap
			neu += gap
			del, ins := r.IntN(3), r.IntN(3)
			if del+ins == 0 {
				del, ins = 1, 1
			}
			// A hunk with three lines of context each side.
			fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@ func f%d() {\n", old-3, del+6, neu-3, ins+6, old)
			for i := range 3 {
				fmt.Fprintf(&b, " \tx%d := compute(a, b, %d)\n", old-3+i, old-3+i)
			}
			for i := range del {
				fmt.Fprintf(&b, "-\told%d := compute(a, b, %d)\n", old+i, old+i)
			}
			for i := range ins {
				fmt.Fprintf(&b, "+\tnew%d := compute(c, d, %d)\n", neu+i, neu+i)
			}
			old += del
			neu += ins
			for i := range 3 {
				fmt.Fprintf(&b, " \tx%d := compute(a, b, %d)\n", old+i, old+i)
			}
			old += 3
			neu += 3
		}
	}
	return b.Bytes()
}

// emptyLinesDiff is a diff that adds n empty lines to a file: two bytes
// of diff per line.
func emptyLinesDiff(n int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,0 +1,%d @@\n", n)
	b.Write(bytes.Repeat([]byte("+\n"), n))
	return b.Bytes()
}

func benchRead(b *testing.B, diff []byte) {
	b.SetBytes(int64(len(diff)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadGitDiff(bytes.NewReader(diff)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadGitDiff(b *testing.B) {
	b.Run("repo", func(b *testing.B) { benchRead(b, synthDiff(2000, 500)) })
	b.Run("emptylines", func(b *testing.B) { benchRead(b, emptyLinesDiff(1<<20)) })
}

func BenchmarkLookups(b *testing.B) {
	const files, lines = 2000, 500
	m, err := ReadGitDiff(bytes.NewReader(synthDiff(files, lines)))
	if err != nil {
		b.Fatal(err)
	}
	paths := make([]string, files)
	for f := range paths {
		paths[f] = fmt.Sprintf("pkg%d/file%d.go", f%50, f)
	}
	m.HeadChanged(paths[0], 1) // the head index, made once
	run := func(name string, f func(p string, l int)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				f(paths[i%files], 1+i*7%lines)
			}
		})
	}
	run("Map", func(p string, l int) { m.Map(p, l) })
	run("Origin", func(p string, l int) { m.Origin(p, l) })
	run("Added", func(p string, l int) { m.Added(p, l) })
	run("HeadChanged", func(p string, l int) { m.HeadChanged(p, l) })
	run("MayBecome", func(p string, l int) { m.MayBecome(p, l, p, l+1) })
}

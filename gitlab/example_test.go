package gitlab_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/sarifkit/sarifkit/gitlab"
	"github.com/sarifkit/sarifkit/internal/fakegitlab"
)

// Comment on an added line of a merge request, on its newest version.
// (The example talks to a fake of the API on loopback; in GitLab CI,
// BaseURL is CI_API_V4_URL.)
func Example() {
	gl := fakegitlab.Start()
	defer gl.Close()
	gl.Diffs = []fakegitlab.Diff{{OldPath: "main.go", NewPath: "main.go", Diff: "@@ -1,2 +1,3 @@\n package main\n+import \"os\"\n func main() {}\n"}}

	client, err := gitlab.NewClient(&gitlab.Options{BaseURL: gl.URL, Token: gl.Token})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	mrs := client.MergeRequests
	v, err := mrs.Latest(ctx, "group/project", 7)
	if err != nil {
		log.Fatal(err)
	}
	diffs, err := mrs.Diffs(ctx, "group/project", 7)
	if err != nil {
		log.Fatal(err)
	}
	d, err := mrs.CreateDiscussion(ctx, "group/project", 7, &gitlab.NewDiscussion{
		Body: "`os` is imported and not used.",
		Position: &gitlab.Position{PositionType: "text", BaseSHA: v.BaseCommitSHA, StartSHA: v.StartCommitSHA, HeadSHA: v.HeadCommitSHA,
			OldPath: diffs[0].OldPath, NewPath: diffs[0].NewPath, NewLine: 2}, // an added line: no old line
	})
	if err != nil {
		log.Fatal(err)
	}
	n := d.Notes[0]
	fmt.Printf("%s on %s:%d by %s\n", n.Type, n.Position.NewPath, n.Position.NewLine, n.Author.Username)

	// A line that is not in the diff is refused, as GitLab does.
	_, err = mrs.CreateDiscussion(ctx, "group/project", 7, &gitlab.NewDiscussion{Body: "x",
		Position: &gitlab.Position{PositionType: "text", BaseSHA: v.BaseCommitSHA, StartSHA: v.StartCommitSHA, HeadSHA: v.HeadCommitSHA,
			NewPath: "main.go", NewLine: 9}})
	var apiErr *gitlab.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode)
	}
	// Output:
	// DiffNote on main.go:2 by project_42_bot
	// 400
}

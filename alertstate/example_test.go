package alertstate_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/sarifkit/sarifkit/alertstate"
	"github.com/sarifkit/sarifkit/fetch"
	"github.com/sarifkit/sarifkit/sarif"
)

// A log fetched from GitHub names each result's alert: the result of a
// dismissed alert gets a suppression saying who dismissed it, when and
// why.
func ExampleSuppress() {
	l, err := sarif.Read(context.Background(), strings.NewReader(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"gosec"}},"results":[
		{"ruleId":"G101","message":{"text":"Potential hardcoded credentials"},"properties":{"github/alertNumber":7}},
		{"ruleId":"G104","message":{"text":"Errors unhandled"},"properties":{"github/alertNumber":8}}]}]}`), "main.sarif", nil)
	if err != nil {
		log.Fatal(err)
	}
	reason, at := fetch.ReasonFalsePositive, time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	dismissed := []*fetch.Alert{{Number: 7, State: "dismissed", DismissedReason: &reason, DismissedAt: &at, DismissedBy: &fetch.User{Login: "octocat"}}}
	n, err := alertstate.Suppress(context.Background(), l, dismissed)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "result suppressed")
	for i := range l.Runs[0].Len() {
		r, err := l.Runs[0].Result(i)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("result %d: %s\n", i, r.Member("suppressions"))
	}
	// Output:
	// 1 result suppressed
	// result 0: [{"justification":"dismissed on GitHub as false positive by octocat on 2026-11-30","kind":"external","status":"accepted"}]
	// result 1:
}

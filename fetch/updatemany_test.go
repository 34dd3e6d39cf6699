package fetch

import (
	"context"
	"testing"

	"github.com/sarifkit/sarifkit/internal/fakegithub"
)

// UpdateManyOptions.Concurrency documents "4 when zero"; a negative value
// (a library caller computing it, say from a flag) must not panic with
// "makechan: size out of range". Found in review of issue 24.
func TestUpdateManyNegativeConcurrency(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	f.Alerts = append(f.Alerts, alert(1, "open", "G101"))
	c := client(t, f)
	changes := []AlertChange{{Number: 1, Update: &AlertUpdate{State: "dismissed", Reason: ReasonWontFix}}}
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("UpdateMany with Concurrency -1 panicked: %v", p)
		}
	}()
	errs := c.Alerts.UpdateMany(t.Context(), "o", "r", changes, &UpdateManyOptions{Concurrency: -1})
	if len(errs) != 1 {
		t.Fatalf("%d errors for 1 change", len(errs))
	}
}

// Once the context is done, UpdateMany sends nothing more: the changes
// not yet started fail with the context's error, not after a request.
func TestUpdateManyCancelled(t *testing.T) {
	t.Parallel()
	f := fakegithub.New(t)
	var changes []AlertChange
	for i := 1; i <= 50; i++ {
		f.Alerts = append(f.Alerts, alert(i, "open", "G101"))
		changes = append(changes, AlertChange{Number: i, Update: &AlertUpdate{State: "dismissed", Reason: ReasonWontFix}})
	}
	c := client(t, f)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	errs := c.Alerts.UpdateMany(ctx, "o", "r", changes, nil)
	for i, err := range errs {
		if err == nil {
			t.Errorf("change %d made after the context was cancelled", i)
		}
	}
	if n := len(f.Log()); n > 0 {
		t.Errorf("%d requests sent after the context was cancelled: %q", n, f.Log())
	}
}

package metrics

import (
	"strings"
	"testing"
	"time"
)

func TestSwapResetsCounters(t *testing.T) {
	c := New()
	c.Add("smtp_accepted", 3)
	c.Observe("smtp_data", 1500*time.Millisecond)

	snap := c.Swap()
	if snap["smtp_accepted"] != 3 || snap["smtp_data_count"] != 1 || snap["smtp_data_ms"] != 1500 {
		t.Fatalf("unexpected snapshot %v", snap)
	}
	if again := c.Snapshot(); again["smtp_accepted"] != 0 {
		t.Fatalf("counter not reset: %v", again)
	}
}

func TestWriteToIsSorted(t *testing.T) {
	c := New()
	c.Inc("b")
	c.Inc("a")
	func() {
		defer c.Time("run")()
	}()

	var sb strings.Builder
	if _, err := c.WriteTo(&sb); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if strings.Index(out, "mailsrv_a ") > strings.Index(out, "mailsrv_b ") {
		t.Errorf("keys not sorted:\n%s", out)
	}
	if !strings.Contains(out, "mailsrv_run_count 1") {
		t.Errorf("timer not recorded:\n%s", out)
	}
}

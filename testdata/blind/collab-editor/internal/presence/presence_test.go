package presence

import (
	"context"
	"testing"
	"time"
)

func TestUpdateAndCursors(t *testing.T) {
	tr := NewTracker()
	sub := tr.Subscribe("doc", "s1", 4)
	tr.Update(Event{DocID: "doc", Client: "bob", Cursor: 3})
	tr.Update(Event{DocID: "doc", Client: "alice", Cursor: 7})

	got := tr.Cursors("doc")
	if len(got) != 2 || got[0].Client != "alice" || got[1].Client != "bob" {
		t.Fatalf("Cursors = %+v", got)
	}
	if n := len(sub.C); n != 2 {
		t.Fatalf("subscriber got %d events, want 2", n)
	}
}

func TestSweepDropsIdle(t *testing.T) {
	tr := NewTracker()
	tr.Update(Event{DocID: "doc", Client: "old", At: time.Now().Add(-time.Hour)})
	tr.Update(Event{DocID: "doc", Client: "new"})
	if n := tr.Sweep(time.Minute); n != 1 {
		t.Fatalf("Sweep = %d, want 1", n)
	}
}

func TestBroadcastToSlowSubscriber(t *testing.T) {
	tr := NewTracker()
	fast := tr.Subscribe("doc", "fast", 1)
	slow := tr.Subscribe("doc", "slow", 0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	n := tr.Broadcast(ctx, "doc", Event{DocID: "doc", Client: "x"}, 20*time.Millisecond)
	if n != 1 {
		t.Fatalf("delivered = %d, want 1", n)
	}
	if len(fast.C) != 1 || slow.Dropped() != 1 {
		t.Fatalf("fast=%d slow dropped=%d", len(fast.C), slow.Dropped())
	}
}

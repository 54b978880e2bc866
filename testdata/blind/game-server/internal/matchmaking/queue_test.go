package matchmaking

import (
	"testing"
	"time"
)

func TestFormGroupsByRegion(t *testing.T) {
	q := NewQueue(2)
	base := time.Unix(1700000000, 0)
	tickets := []Ticket{
		{PlayerID: "a", Region: "eu", Enqueued: base},
		{PlayerID: "b", Region: "us", Enqueued: base.Add(time.Second)},
		{PlayerID: "c", Region: "eu", Enqueued: base.Add(2 * time.Second)},
	}
	if n := q.Restore(tickets); n != 3 {
		t.Fatalf("restored %d, want 3", n)
	}
	group, ok := q.Form()
	if !ok || len(group) != 2 || group[0].PlayerID != "a" || group[1].PlayerID != "c" {
		t.Fatalf("group = %+v, %v", group, ok)
	}
	if q.Len() != 1 {
		t.Fatalf("len = %d, want 1", q.Len())
	}
}

func TestExpire(t *testing.T) {
	q := NewQueue(4)
	now := time.Unix(1700000000, 0)
	q.now = func() time.Time { return now }
	q.Restore([]Ticket{{PlayerID: "old", Enqueued: now.Add(-time.Hour)}, {PlayerID: "new", Enqueued: now}})
	expired := q.Expire(time.Minute)
	if len(expired) != 1 || expired[0].PlayerID != "old" {
		t.Fatalf("expired = %+v", expired)
	}
	if err := q.Cancel("old"); err != ErrNotQueued {
		t.Fatalf("cancel expired ticket: %v", err)
	}
}

package member

import (
	"testing"
	"time"
)

func TestAddAndGet(t *testing.T) {
	l := NewList("self")
	if !l.Add(NewPeer("a", "10.0.0.1:7946")) {
		t.Fatal("first Add returned false")
	}
	if l.Add(NewPeer("a", "10.0.0.1:7946")) {
		t.Fatal("duplicate Add returned true")
	}
	p, ok := l.Get("a")
	if !ok || p.Addr != "10.0.0.1:7946" {
		t.Fatalf("Get(a) = %v, %v", p, ok)
	}
	if got := l.Len(); got != 1 {
		t.Fatalf("Len = %d, want 1", got)
	}
}

func TestMarkStateIgnoresStale(t *testing.T) {
	l := NewList("self")
	l.Add(NewPeer("a", "a:1"))
	if changed, err := l.MarkState("a", StateSuspect, 2); err != nil || !changed {
		t.Fatalf("MarkState suspect@2 = %v, %v", changed, err)
	}
	if changed, _ := l.MarkState("a", StateAlive, 1); changed {
		t.Fatal("stale alive@1 was applied")
	}
	if _, err := l.MarkState("zz", StateDead, 1); err != ErrUnknownPeer {
		t.Fatalf("unknown peer: got %v", err)
	}
}

func TestExpireIdle(t *testing.T) {
	l := NewList("self")
	old := NewPeer("old", "old:1")
	old.lastSeen = time.Now().Add(-time.Hour)
	l.Add(old)
	l.Add(NewPeer("fresh", "fresh:1"))
	got := l.ExpireIdle(time.Now().Add(-time.Minute))
	if len(got) != 1 || got[0] != "old" {
		t.Fatalf("ExpireIdle = %v, want [old]", got)
	}
	if st, _ := old.Snapshot(); st != StateSuspect {
		t.Fatalf("old is %v, want suspect", st)
	}
}

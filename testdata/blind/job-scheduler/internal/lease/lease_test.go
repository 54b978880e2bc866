package lease

import (
	"errors"
	"strings"
	"testing"
	"time"
)

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func newTestManager(ttl time.Duration) (*Manager, *fakeClock) {
	c := &fakeClock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	m := NewManager(ttl)
	m.now = c.now
	return m, c
}

func TestAcquireConflict(t *testing.T) {
	m, clock := newTestManager(time.Minute)
	if _, err := m.Acquire("job/backup", "node-a"); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Acquire("job/backup", "node-b"); !errors.Is(err, ErrHeld) {
		t.Fatalf("second holder: err = %v, want ErrHeld", err)
	}
	clock.t = clock.t.Add(2 * time.Minute)
	if _, err := m.Acquire("job/backup", "node-b"); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestExpireAndRelease(t *testing.T) {
	m, clock := newTestManager(time.Minute)
	a, _ := m.Acquire("a", "n1")
	if _, err := m.Acquire("b", "n1"); err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(30 * time.Second)
	if _, err := m.Renew("a", a.Token); err != nil {
		t.Fatal(err)
	}
	clock.t = clock.t.Add(45 * time.Second)
	if got := m.Expire(); len(got) != 1 || got[0] != "b" {
		t.Fatalf("Expire = %v, want [b]", got)
	}
	if !m.Release("a", a.Token) {
		t.Fatal("release of a held lease failed")
	}
	if m.Release("a", a.Token) {
		t.Fatal("double release succeeded")
	}
}

func TestTableRender(t *testing.T) {
	tb := NewTable()
	tb.Put(Lease{Name: "x", Holder: "n1", Token: 1})
	tb.Put(Lease{Name: "y", Holder: "n2", Token: 2})
	if got := tb.Render(); !strings.HasPrefix(got, "2 leases: x y") {
		t.Fatalf("Render = %q", got)
	}
	if h := tb.Holders(); len(h["n1"]) != 1 {
		t.Fatalf("Holders = %v", h)
	}
}

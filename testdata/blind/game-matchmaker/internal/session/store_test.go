package session

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"example.com/matchmaker/internal/player"
)

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestStore(t *testing.T, ttl time.Duration) (*Store, *fakeClock, *[]Session) {
	t.Helper()
	clock := &fakeClock{t: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}
	var expired []Session
	s := NewStore(ttl, func(sess Session) { expired = append(expired, sess) })
	s.now = clock.Now
	return s, clock, &expired
}

func TestSweepRemovesExpired(t *testing.T) {
	s, clock, expired := newTestStore(t, time.Minute)
	a, err := s.Create("alice", player.EUWest)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * time.Second)
	b, err := s.Create("bob", player.EUWest)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(45 * time.Second)
	if n := s.Sweep(); n != 1 {
		t.Fatalf("Sweep removed %d, want 1", n)
	}
	if _, ok := s.Get(a.Token); ok {
		t.Fatal("alice still live")
	}
	if _, ok := s.Get(b.Token); !ok {
		t.Fatal("bob was swept")
	}
	if len(*expired) != 1 || (*expired)[0].PlayerID != "alice" {
		t.Fatalf("expired callback got %+v", *expired)
	}
}

func TestLeasePinsSession(t *testing.T) {
	s, clock, _ := newTestStore(t, time.Minute)
	sess, err := s.Create("carol", player.USEast)
	if err != nil {
		t.Fatal(err)
	}
	lease, err := s.Lease(sess.Token)
	if err != nil {
		t.Fatal(err)
	}
	defer lease.Release()
	clock.Advance(2 * time.Minute)
	if n := s.Sweep(); n != 0 {
		t.Fatalf("leased session swept")
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	s, _, _ := newTestStore(t, time.Hour)
	for _, id := range []string{"p1", "p2", "p3"} {
		if _, err := s.Create(id, player.APSouth); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "sessions.gob")
	if err := s.SaveTo(path); err != nil {
		t.Fatalf("SaveTo: %v", err)
	}
	restored, _, _ := newTestStore(t, time.Hour)
	n, err := restored.LoadFrom(path)
	if err != nil {
		t.Fatalf("LoadFrom: %v", err)
	}
	if n != 3 || restored.Count() != 3 {
		t.Fatalf("restored %d sessions (count %d), want 3", n, restored.Count())
	}
}

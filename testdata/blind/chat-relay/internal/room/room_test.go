package room

import (
	"strings"
	"sync"
	"testing"
)

type fakeSink struct {
	nick string
	mu   sync.Mutex
	got  []string
}

func (f *fakeSink) Nick() string { return f.nick }

func (f *fakeSink) Deliver(line string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.got = append(f.got, line)
	return true
}

func TestBroadcastSkipsSender(t *testing.T) {
	r := New("#go", 8)
	ada, bob := &fakeSink{nick: "ada"}, &fakeSink{nick: "bob"}
	for _, s := range []*fakeSink{ada, bob} {
		if err := r.Join(s); err != nil {
			t.Fatalf("join %s: %v", s.nick, err)
		}
	}
	if n := r.Broadcast("ada", "hello"); n != 1 {
		t.Fatalf("Broadcast delivered to %d members, want 1", n)
	}
	if len(ada.got) != 0 || len(bob.got) != 1 || !strings.HasSuffix(bob.got[0], "hello") {
		t.Fatalf("ada got %q, bob got %q", ada.got, bob.got)
	}
}

func TestRecentWrapsAround(t *testing.T) {
	r := New("#ring", 3)
	for _, w := range []string{"a", "b", "c", "d", "e"} {
		r.Broadcast("x", w)
	}
	got := r.Recent(10)
	if len(got) != 3 || !strings.HasSuffix(got[0], " c") || !strings.HasSuffix(got[2], " e") {
		t.Fatalf("Recent = %q", got)
	}
}

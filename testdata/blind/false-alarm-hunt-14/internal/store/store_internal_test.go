package store

import (
	"testing"
)

// holdLock write-locks s for the rest of the test. The lock is released by
// the test's cleanup, after every subtest has finished.
func holdLock(t *testing.T, s *Store) {
	t.Helper()
	s.mu.Lock()
	t.Cleanup(s.mu.Unlock)
}

func TestTryCompactContended(t *testing.T) {
	s := New()
	holdLock(t, s)
	if s.TryCompact() {
		t.Fatal("TryCompact succeeded while the lock was held")
	}
}

func TestTryCompactIdle(t *testing.T) {
	s := New()
	s.order = make([]string, 3, 1024)
	copy(s.order, []string{"a", "b", "c"})
	if !s.TryCompact() {
		t.Fatal("TryCompact failed on an idle store")
	}
	if c := cap(s.order); c != 3 {
		t.Errorf("cap(order) = %d after compaction, want 3", c)
	}
}

func TestReplaceResetsOrder(t *testing.T) {
	s := New()
	s.Replace([]Event{{ID: "a"}, {ID: "b"}})
	s.Replace([]Event{{ID: "c"}})
	if len(s.order) != 1 || s.order[0] != "c" {
		t.Errorf("order = %v after Replace", s.order)
	}
	if _, ok := s.items["a"]; ok {
		t.Error("Replace kept an old event")
	}
}

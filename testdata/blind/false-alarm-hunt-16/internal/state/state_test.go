package state

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRegisterAdvance(t *testing.T) {
	s := NewStore()
	if !s.Register("app.log") {
		t.Fatal("first Register returned false")
	}
	if s.Register("app.log") {
		t.Fatal("second Register returned true")
	}
	now := time.Unix(1700000000, 0)
	if err := s.Advance("app.log", 42, now); err != nil {
		t.Fatal(err)
	}
	if err := s.Advance("app.log", 7, now); err == nil {
		t.Fatal("Advance backwards succeeded")
	}
	if err := s.Advance("nope", 1, now); !errors.Is(err, ErrUnknownSource) {
		t.Fatalf("Advance unknown: got %v", err)
	}
	snap := s.Snapshot()
	if len(snap) != 1 || snap[0].Offset != 42 {
		t.Fatalf("snapshot = %+v", snap)
	}
}

func TestRenameConflict(t *testing.T) {
	s := NewStore()
	var renamed []string
	s.OnChange(func(name string) { renamed = append(renamed, name) })
	s.Register("a")
	s.Register("b")
	if err := s.Rename("a", "b"); err == nil {
		t.Fatal("rename onto existing source succeeded")
	}
	if err := s.Rename("a", "c"); err != nil {
		t.Fatal(err)
	}
	if len(renamed) != 1 || renamed[0] != "c" {
		t.Fatalf("hook calls = %v", renamed)
	}
}

func TestPruneKeepsLast(t *testing.T) {
	s := NewStore()
	for _, name := range []string{"a", "b", "c"} {
		s.Register(name)
	}
	removed := s.Prune(time.Now())
	if len(removed) != 2 || s.Len() != 1 {
		t.Fatalf("removed %v, %d left", removed, s.Len())
	}
}

func TestHealthSummary(t *testing.T) {
	s := NewStore()
	s.Register("a")
	h := NewHealth(s)
	now := time.Now()
	h.Set("disk", true, "", now)
	h.Set("upstream", false, "timeout", now)
	got := h.Summary()
	if !strings.HasPrefix(got, "degraded: upstream failing") {
		t.Fatalf("Summary() = %q", got)
	}
	if n := h.Reset(now.Add(time.Second)); n != 2 {
		t.Fatalf("Reset removed %d", n)
	}
}

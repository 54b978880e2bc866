package catalog

import (
	"bytes"
	"testing"
	"time"
)

func TestAddGet(t *testing.T) {
	c := New("test")
	if err := c.Add(Entry{Name: "a", Size: 3}); err != nil {
		t.Fatal(err)
	}
	e, ok := c.Get("a")
	if !ok || e.Size != 3 {
		t.Fatalf("Get(a) = %+v, %v", e, ok)
	}
}

func TestMergeAndExpire(t *testing.T) {
	now := time.Now()
	a, b := New("a"), New("b")
	a.Put(Entry{Name: "old", Stored: now.Add(-time.Hour)})
	b.Put(Entry{Name: "old"})
	b.Put(Entry{Name: "new", Stored: now})
	if n := a.Merge(b); n != 1 {
		t.Fatalf("Merge copied %d entries, want 1", n)
	}
	gone := a.Expire(now.Add(-time.Minute))
	if len(gone) != 1 || gone[0] != "old" {
		t.Fatalf("Expire = %v", gone)
	}
	if a.Len() != 1 {
		t.Fatalf("Len = %d", a.Len())
	}
}

func TestJSONRoundTrip(t *testing.T) {
	c := New("src")
	c.Put(Entry{Name: "x", Checksum: "abc"})
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	d := New("dst")
	if err := d.ReadJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if e, ok := d.Get("x"); !ok || e.Checksum != "abc" {
		t.Fatalf("Get(x) = %+v, %v", e, ok)
	}
}

func TestStatsRatio(t *testing.T) {
	s := NewStats()
	s.Add("hit", 3)
	s.Add("miss", 1)
	if r := s.Ratio("hit", "miss"); r != 3 {
		t.Fatalf("Ratio = %v", r)
	}
	final := s.Freeze()
	if s.Add("hit", 1) || final["hit"] != 3 {
		t.Fatalf("frozen stats changed: %v", s.Totals())
	}
}

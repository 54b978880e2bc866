package greylist

import (
	"path/filepath"
	"testing"
	"time"
)

func TestCheckDefersThenAccepts(t *testing.T) {
	g := New(5*time.Minute, 24*time.Hour)
	t0 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)

	cases := []struct {
		at   time.Time
		want Verdict
	}{
		{t0, Defer},
		{t0.Add(time.Minute), Defer},
		{t0.Add(6 * time.Minute), Accept},
		{t0.Add(7 * time.Minute), Accept},
	}
	for _, c := range cases {
		if got := g.Check("192.0.2.10", "a@example.org", "b@example.net", c.at); got != c.want {
			t.Errorf("at %v: got %v, want %v", c.at.Sub(t0), got, c.want)
		}
	}
	// a neighbour in the same /24 shares the triplet
	if got := g.Check("192.0.2.99", "a@example.org", "b@example.net", t0.Add(8*time.Minute)); got != Accept {
		t.Errorf("neighbour address: got %v", got)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	g := New(time.Minute, time.Hour)
	now := time.Now().UTC().Truncate(time.Second)
	g.Check("198.51.100.7", "x@example.org", "y@example.net", now)

	path := filepath.Join(t.TempDir(), "greylist.json")
	if err := g.SaveFile(path); err != nil {
		t.Fatal(err)
	}
	recs, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Key != Key("198.51.100.7", "x@example.org", "y@example.net") {
		t.Fatalf("unexpected records %+v", recs)
	}
}

package surge

import (
	"io"
	"log"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/dispatch/internal/geo"
)

type staticCounts map[geo.CellID]int

func (s staticCounts) Demand() map[geo.CellID]int  { return s }
func (s staticCounts) Density() map[geo.CellID]int { return s }

func TestMultiplier(t *testing.T) {
	cases := []struct {
		demand, supply int
		want           float64
	}{
		{0, 0, 1},
		{1, 5, 1},
		{10, 4, 1.5},
		{100, 0, 3},
	}
	for _, tc := range cases {
		if got := multiplier(tc.demand, tc.supply, 3); got != tc.want {
			t.Errorf("multiplier(%d, %d) = %v, want %v", tc.demand, tc.supply, got, tc.want)
		}
	}
}

func TestRecomputeAndOverride(t *testing.T) {
	hot := geo.CellID{Row: 1, Col: 1}
	p := New(staticCounts{hot: 20}, staticCounts{hot: 2}, log.New(io.Discard, "", 0), 3)
	p.Recompute(time.Now())
	if m := p.QuoteCell(hot); m <= 1 {
		t.Fatalf("QuoteCell = %v, want surge", m)
	}
	p.SetOverride(hot, 1.2)
	if m := p.Multiplier(hot); m != 1.2 {
		t.Fatalf("Multiplier = %v, want override 1.2", m)
	}
}

func TestStartStop(t *testing.T) {
	p := New(staticCounts{}, staticCounts{}, log.New(io.Discard, "", 0), 3)
	p.Start(5 * time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	p.Stop()
	p.Stop() // idempotent
}

func TestOverridesRoundTrip(t *testing.T) {
	p := New(staticCounts{}, staticCounts{}, log.New(io.Discard, "", 0), 3)
	p.SetOverride(geo.CellID{Row: 4, Col: 2}, 2)
	path := filepath.Join(t.TempDir(), "overrides.json")
	if err := p.SaveOverrides(path); err != nil {
		t.Fatal(err)
	}
	q := New(staticCounts{}, staticCounts{}, log.New(io.Discard, "", 0), 3)
	n, err := q.LoadOverridesFile(path)
	if err != nil || n != 1 {
		t.Fatalf("LoadOverridesFile = %d, %v", n, err)
	}
	if _, err := parseOverrides(strings.NewReader(`{"overrides":[{"row":1,"col":1,"multiplier":0.5}]}`)); err == nil {
		t.Fatal("multiplier below 1 accepted")
	}
}

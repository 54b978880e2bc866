package pitjoin

import (
	"context"
	"testing"
)

func testIndex() Index {
	return BuildIndex([]FeatureRow{
		{EntityID: "u1", Ts: 10, Values: []float64{1}},
		{EntityID: "u1", Ts: 30, Values: []float64{3}},
		{EntityID: "u2", Ts: 20, Values: []float64{2}},
	})
}

func TestAsOfNeverLooksAhead(t *testing.T) {
	ix := testIndex()
	cases := []struct {
		ts   int64
		want float64
		ok   bool
	}{{5, 0, false}, {10, 1, true}, {29, 1, true}, {30, 3, true}, {99, 3, true}}
	for _, c := range cases {
		row, ok := ix.AsOf("u1", c.ts)
		if ok != c.ok || (ok && row.Values[0] != c.want) {
			t.Errorf("AsOf(u1, %d) = %v, %v", c.ts, row.Values, ok)
		}
	}
}

func TestJoinMatchesSequential(t *testing.T) {
	ix := testIndex()
	var events []Event
	for i := range 100 {
		events = append(events, Event{EntityID: []string{"u1", "u2", "u3"}[i%3], Ts: int64(i)})
	}
	want, err := joinOne(context.Background(), events, ix)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Join(context.Background(), events, ix, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if got[i].Found != want[i].Found || got[i].EntityID != want[i].EntityID {
			t.Fatalf("row %d: got %+v want %+v", i, got[i], want[i])
		}
	}
}

func TestJoinStreamingDrains(t *testing.T) {
	ix := testIndex()
	in := make(chan Event)
	go func() {
		defer close(in)
		for i := range 50 {
			in <- Event{EntityID: "u2", Ts: int64(i)}
		}
	}()
	n := 0
	for range JoinStreaming(context.Background(), in, ix, 3) {
		n++
	}
	if n != 50 {
		t.Fatalf("joined %d events, want 50", n)
	}
}

func TestCoverage(t *testing.T) {
	ix := testIndex()
	parts := [][]Event{
		{{EntityID: "u1", Ts: 40}, {EntityID: "u9", Ts: 40}},
		{},
	}
	cov := Coverage(parts, ix)
	if cov[0] != 0.5 || cov[1] != 0 {
		t.Fatalf("coverage = %v", cov)
	}
}

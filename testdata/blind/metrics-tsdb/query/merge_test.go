package query

import (
	"testing"

	"example.com/tsdb/model"
)

func TestMergeSamples(t *testing.T) {
	a := []model.Sample{{T: 1, V: 1}, {T: 3, V: 3}, {T: 5, V: 5}}
	b := []model.Sample{{T: 2, V: 2}, {T: 3, V: 30}, {T: 6, V: 6}}
	got := mergeSamples(a, b)
	want := []model.Sample{{T: 1, V: 1}, {T: 2, V: 2}, {T: 3, V: 30}, {T: 5, V: 5}, {T: 6, V: 6}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("sample %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestRate(t *testing.T) {
	samples := []model.Sample{{T: 0, V: 0}, {T: 1000, V: 10}, {T: 2000, V: 20}, {T: 3000, V: 30}}
	got := Rate(samples, 2000)
	if len(got) == 0 {
		t.Fatal("no output")
	}
	for _, s := range got {
		if s.V != 10 {
			t.Fatalf("rate = %v, want 10/s", s.V)
		}
	}
}

func TestMetricsTrack(t *testing.T) {
	m := NewMetrics()
	done := m.track("select")
	if _, inflight := m.Snapshot(); inflight != 1 {
		t.Fatalf("inflight = %d", inflight)
	}
	done()
	sum, inflight := m.Snapshot()
	if inflight != 0 || sum["select"].Count != 1 {
		t.Fatalf("summary = %+v, inflight = %d", sum, inflight)
	}
}

package merge

import (
	"testing"

	"example.com/searchindexer/internal/segment"
)

func TestTierOf(t *testing.T) {
	cases := []struct {
		size int64
		want int
	}{{1, 0}, {100, 0}, {101, 1}, {800, 1}, {801, 2}}
	for _, c := range cases {
		if got := tierOf(c.size, 100, 8); got != c.want {
			t.Errorf("tierOf(%d) = %d, want %d", c.size, got, c.want)
		}
	}
}

func TestPickSmallestOfFullTier(t *testing.T) {
	p := Policy{SegmentsPerTier: 3, MaxMergeBytes: 1 << 20, FloorBytes: 100}
	segs := []segment.Meta{{ID: 1, Bytes: 50}, {ID: 2, Bytes: 10}, {ID: 3, Bytes: 30}, {ID: 4, Bytes: 5000}}
	got := p.Pick(segs)
	if len(got) != 3 || got[0].ID != 2 || got[2].ID != 1 {
		t.Fatalf("Pick = %+v", got)
	}
}

func TestPickNothingBelowThreshold(t *testing.T) {
	p := DefaultPolicy()
	if got := p.Pick([]segment.Meta{{ID: 1, Bytes: 10}}); got != nil {
		t.Fatalf("Pick = %+v, want nil", got)
	}
}

func TestStaticCatalogSwap(t *testing.T) {
	c := NewStaticCatalog([]segment.Meta{{ID: 1}, {ID: 2}, {ID: 3}})
	if err := c.Swap([]segment.Meta{{ID: 1}, {ID: 2}}, segment.Meta{ID: 4}); err != nil {
		t.Fatal(err)
	}
	got := c.Segments()
	if len(got) != 2 || got[0].ID != 3 || got[1].ID != 4 {
		t.Fatalf("Segments = %+v", got)
	}
}

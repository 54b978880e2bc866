package merge

import (
	"sync"

	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/segment"
)

// StaticCatalog is a Catalog over a fixed segment list, for offline tools
// that have no query engine.
type StaticCatalog struct {
	mu   sync.Mutex
	segs []segment.Meta
}

// NewStaticCatalog returns a catalog holding metas.
func NewStaticCatalog(metas []segment.Meta) *StaticCatalog {
	return &StaticCatalog{segs: append([]segment.Meta(nil), metas...)}
}

// Segments returns a copy of the current list.
func (c *StaticCatalog) Segments() []segment.Meta {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]segment.Meta(nil), c.segs...)
}

// Swap replaces old with merged.
func (c *StaticCatalog) Swap(old []segment.Meta, merged segment.Meta) error {
	drop := make(map[uint64]bool, len(old))
	for _, m := range old {
		drop[m.ID] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	next := c.segs[:0]
	for _, s := range c.segs {
		if !drop[s.ID] {
			next = append(next, s)
		}
	}
	c.segs = append(next, merged)
	return nil
}

// Stats sums the segment counters.
func (c *StaticCatalog) Stats() index.Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	var st index.Stats
	for _, s := range c.segs {
		st = st.Add(index.Stats{Docs: s.Docs, Bytes: s.Bytes, Segments: 1})
	}
	return st
}

package index

import (
	"fmt"
	"log"
	"sort"
)

// Frozen is an immutable view of index contents, ready to be written as a segment.
type Frozen struct {
	Terms   map[string]PostingList
	DocLens map[DocID]int
	Deleted map[DocID]bool
}

// SortedTerms returns the terms of f in byte order.
func (f *Frozen) SortedTerms() []string {
	out := make([]string, 0, len(f.Terms))
	for t := range f.Terms {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Empty reports whether f holds no live document.
func (f *Frozen) Empty() bool { return f.Live() == 0 }

// Live returns the number of documents that are not deleted.
func (f *Frozen) Live() int {
	n := 0
	for id := range f.DocLens {
		if !f.Deleted[id] {
			n++
		}
	}
	return n
}

// MergeFrozen combines parts, dropping deleted documents.
func MergeFrozen(parts ...*Frozen) *Frozen {
	out := &Frozen{Terms: make(map[string]PostingList), DocLens: make(map[DocID]int), Deleted: map[DocID]bool{}}
	for _, p := range parts {
		for term, pl := range p.Terms {
			out.Terms[term] = Union(out.Terms[term], pl.Without(p.Deleted))
		}
		for id, l := range p.DocLens {
			if !p.Deleted[id] {
				out.DocLens[id] = l
			}
		}
	}
	for term, pl := range out.Terms {
		if len(pl) == 0 {
			delete(out.Terms, term)
		}
	}
	return out
}

// Stats are index counters reported by the API and the tools.
type Stats struct {
	Docs     int   `json:"docs"`
	Terms    int   `json:"terms"`
	Deleted  int   `json:"deleted"`
	Segments int   `json:"segments"`
	Bytes    int64 `json:"bytes"`
}

// Add sums two stats.
func (s Stats) Add(o Stats) Stats {
	return Stats{
		Docs:     s.Docs + o.Docs,
		Terms:    s.Terms + o.Terms,
		Deleted:  s.Deleted + o.Deleted,
		Segments: s.Segments + o.Segments,
		Bytes:    s.Bytes + o.Bytes,
	}
}

// String formats s for logs.
func (s Stats) String() string {
	return fmt.Sprintf("docs=%d terms=%d deleted=%d segments=%d bytes=%d", s.Docs, s.Terms, s.Deleted, s.Segments, s.Bytes)
}

// Log writes s to l.
func (s Stats) Log(l *log.Logger) {
	l.Printf("index: %s", s)
}

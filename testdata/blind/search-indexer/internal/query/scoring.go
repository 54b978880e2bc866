package query

import (
	"math"
	"sort"

	"example.com/searchindexer/internal/index"
)

// Hit is one scored document.
type Hit struct {
	Doc     index.DocID `json:"doc"`
	Score   float64     `json:"score"`
	Segment uint64      `json:"segment"`
}

const (
	k1 = 1.2
	b  = 0.75
)

// bm25 scores one term in one document.
func bm25(tf uint32, df, n, docLen int, avgLen float64) float64 {
	if avgLen == 0 {
		avgLen = 1
	}
	idf := math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
	norm := float64(tf) * (k1 + 1) / (float64(tf) + k1*(1-b+b*float64(docLen)/avgLen))
	return idf * norm
}

// TopK sorts hits by descending score and keeps the first k.
func TopK(hits []Hit, k int) []Hit {
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].Score != hits[j].Score {
			return hits[i].Score > hits[j].Score
		}
		return hits[i].Doc < hits[j].Doc
	})
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits
}

// Searchable is what a query runs against: a segment or the memtable.
type Searchable interface {
	Postings(term string) index.PostingList
	DocLen(id index.DocID) int
	DocCount() int
	AvgDocLen() float64
}

// searchOne evaluates q over s.
func searchOne(s Searchable, q Query, segID uint64) []Hit {
	n := s.DocCount()
	if n == 0 {
		return nil
	}
	avg := s.AvgDocLen()
	scores := make(map[index.DocID]float64)
	var must index.PostingList
	for i, t := range q.Must {
		pl := s.Postings(t)
		if i == 0 {
			must = pl
		} else {
			must = index.Intersect(must, pl)
		}
		for _, p := range pl {
			scores[p.Doc] += bm25(p.Freq, len(pl), n, s.DocLen(p.Doc), avg)
		}
	}
	for _, t := range q.Should {
		pl := s.Postings(t)
		for _, p := range pl {
			scores[p.Doc] += bm25(p.Freq, len(pl), n, s.DocLen(p.Doc), avg)
		}
	}
	allowed := map[index.DocID]bool(nil)
	if len(q.Must) > 0 {
		allowed = make(map[index.DocID]bool, len(must))
		for _, p := range must {
			allowed[p.Doc] = true
		}
	}
	for _, t := range q.MustNot {
		for _, p := range s.Postings(t) {
			delete(scores, p.Doc)
		}
	}
	hits := make([]Hit, 0, len(scores))
	for doc, sc := range scores {
		if allowed == nil || allowed[doc] {
			hits = append(hits, Hit{Doc: doc, Score: sc, Segment: segID})
		}
	}
	return hits
}

// memSearchable adapts the memtable to Searchable.
type memSearchable struct{ m *index.MemIndex }

func (s memSearchable) Postings(term string) index.PostingList { return s.m.Lookup(term) }

func (s memSearchable) DocLen(id index.DocID) int {
	l, _ := s.m.DocLen(id)
	return l
}

func (s memSearchable) DocCount() int { return s.m.DocCount() }

func (s memSearchable) AvgDocLen() float64 { return s.m.AvgDocLen() }

package seq

import (
	"iter"
	"strings"
	"sync"
)

// Doc is one ingested document.
type Doc struct {
	ID    string
	Title string
	Body  string
}

// Index is an in-memory document index keyed by ID.
type Index struct {
	mu   sync.Mutex
	byID map[string]Doc
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{byID: make(map[string]Doc)}
}

// AddAll indexes every document produced by docs.
func (idx *Index) AddAll(docs iter.Seq[Doc]) int {
	n := 0
	for d := range docs {
		idx.mu.Lock()
		defer idx.mu.Unlock() // HAZ defer-in-loop
		idx.byID[d.ID] = d
		n++
	}
	return n
}

// Replace indexes every document produced by docs, locking per document in
// a function literal so each unlock runs at the end of its iteration.
func (idx *Index) Replace(docs iter.Seq[Doc]) int {
	n := 0
	for d := range docs {
		func() {
			idx.mu.Lock()
			defer idx.mu.Unlock()
			idx.byID[d.ID] = d
		}()
		n++
	}
	return n
}

// Get returns the document with the given ID.
func (idx *Index) Get(id string) (Doc, bool) {
	idx.mu.Lock()
	defer idx.mu.Unlock()
	d, ok := idx.byID[id]
	return d, ok
}

// Matching yields the documents whose title contains q. The lock is held for
// the whole iteration and released by the iterator's own deferred unlock.
func (idx *Index) Matching(q string) iter.Seq[Doc] {
	return func(yield func(Doc) bool) {
		idx.mu.Lock()
		defer idx.mu.Unlock()
		for _, d := range idx.byID {
			if strings.Contains(d.Title, q) && !yield(d) {
				return
			}
		}
	}
}

// ParseDocs turns "id<TAB>title<TAB>body" lines into documents.
func ParseDocs(lines iter.Seq2[string, error]) iter.Seq[Doc] {
	return func(yield func(Doc) bool) {
		for line, err := range lines {
			if err != nil {
				return
			}
			parts := strings.SplitN(line, "\t", 3)
			if len(parts) != 3 {
				continue
			}
			if !yield(Doc{ID: parts[0], Title: parts[1], Body: parts[2]}) {
				return
			}
		}
	}
}

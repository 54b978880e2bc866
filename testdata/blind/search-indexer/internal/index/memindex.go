package index

import (
	"errors"
	"sort"
	"strings"
	"sync"

	"example.com/searchindexer/internal/textproc"
)

// ErrNotFound is returned for unknown document ids.
var ErrNotFound = errors.New("index: document not found")

// Document is what the ingestion pipeline hands to the index.
type Document struct {
	ID   DocID
	Ext  string
	Text string
}

type docMeta struct {
	length int
	ext    string
}

// MemIndex is the mutable in-memory index. Writers take mu exclusively,
// queries share it.
type MemIndex struct {
	mu       sync.RWMutex
	analyzer *textproc.Analyzer
	terms    map[string]PostingList
	docs     map[DocID]docMeta
	deleted  map[DocID]bool
	totalLen int
}

// NewMemIndex returns an empty index that analyzes text with a.
func NewMemIndex(a *textproc.Analyzer) *MemIndex {
	return &MemIndex{
		analyzer: a,
		terms:    make(map[string]PostingList),
		docs:     make(map[DocID]docMeta),
		deleted:  make(map[DocID]bool),
	}
}

// Add indexes one document.
func (m *MemIndex) Add(doc Document) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.addLocked(doc)
}

func (m *MemIndex) addLocked(doc Document) {
	toks := m.analyzer.Analyze(doc.Text)
	freqs := make(map[string]uint32, len(toks))
	for _, t := range toks {
		freqs[t.Term]++
	}
	for term, f := range freqs {
		m.terms[term] = m.terms[term].insert(Posting{Doc: doc.ID, Freq: f})
	}
	if old, ok := m.docs[doc.ID]; ok {
		m.totalLen -= old.length
	}
	m.docs[doc.ID] = docMeta{length: len(toks), ext: doc.Ext}
	m.totalLen += len(toks)
	delete(m.deleted, doc.ID)
}

// AddBatch indexes docs so that readers see either none or all of them.
func (m *MemIndex) AddBatch(docs []Document) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range docs {
		if strings.TrimSpace(d.Text) == "" {
			continue
		}
		m.Add(d) // HAZ lock-reentry-under-defer
	}
}

// AddAll indexes docs under one lock acquisition and returns the live count.
func (m *MemIndex) AddAll(docs []Document) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range docs {
		m.addLocked(d)
	}
	return len(m.docs) - len(m.deleted)
}

// Lookup returns a copy of the live postings of term.
func (m *MemIndex) Lookup(term string) PostingList {
	m.mu.RLock()
	defer m.mu.RUnlock()
	pl := m.terms[term]
	if len(m.deleted) > 0 {
		return pl.Without(m.deleted)
	}
	out := make(PostingList, len(pl))
	copy(out, pl)
	return out
}

// Delete tombstones id until the next freeze.
func (m *MemIndex) Delete(id DocID) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := m.docs[id]; !ok {
		return ErrNotFound
	}
	m.deleted[id] = true
	m.mu.Unlock()
	return nil
}

// MarkDeleted tombstones id and reports whether it was live.
func (m *MemIndex) MarkDeleted(id DocID) bool {
	m.mu.Lock()
	if _, ok := m.docs[id]; !ok || m.deleted[id] {
		m.mu.Unlock()
		return false
	}
	m.deleted[id] = true
	m.mu.Unlock()
	return true
}

// DocCount returns the number of live documents.
func (m *MemIndex) DocCount() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.docs) - len(m.deleted)
}

// AvgDocLen returns the mean analyzed length of buffered documents.
func (m *MemIndex) AvgDocLen() float64 {
	m.mu.RLock()
	n, total := len(m.docs), m.totalLen
	m.mu.RUnlock()
	if n == 0 {
		return 0
	}
	return float64(total) / float64(n)
}

// DocLen returns the analyzed length of id.
func (m *MemIndex) DocLen(id DocID) (int, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	d, ok := m.docs[id]
	return d.length, ok
}

// Stats reports counters for the stats endpoint.
func (m *MemIndex) Stats() Stats {
	m.mu.RLock()
	defer m.mu.Unlock() // HAZ defer-lock-mismatch
	return Stats{Docs: len(m.docs), Terms: len(m.terms), Deleted: len(m.deleted)}
}

// Freeze hands the current contents over for a segment write and starts a
// fresh table. The returned value is never modified again.
func (m *MemIndex) Freeze() *Frozen {
	m.mu.Lock()
	defer m.mu.Unlock()
	fz := &Frozen{Terms: m.terms, DocLens: make(map[DocID]int, len(m.docs)), Deleted: m.deleted}
	for id, d := range m.docs {
		fz.DocLens[id] = d.length
	}
	m.terms = make(map[string]PostingList)
	m.docs = make(map[DocID]docMeta)
	m.deleted = make(map[DocID]bool)
	m.totalLen = 0
	return fz
}

// Terms returns the buffered terms with the given prefix, sorted.
func (m *MemIndex) Terms(prefix string) []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []string
	for t := range m.terms {
		if strings.HasPrefix(t, prefix) {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// Empty reports whether no document is buffered.
func (m *MemIndex) Empty() bool {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.docs) == 0
}

// LookupAll looks the terms up concurrently; used for long OR queries.
func (m *MemIndex) LookupAll(terms []string) []PostingList {
	out := make([]PostingList, len(terms))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(terms); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			out[i] = m.Lookup(terms[i])
		}()
	}
	wg.Wait()
	return out
}

// LookupEach is LookupAll with a loop-scoped index.
func (m *MemIndex) LookupEach(terms []string) []PostingList {
	out := make([]PostingList, len(terms))
	var wg sync.WaitGroup
	for i := 0; i < len(terms); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = m.Lookup(terms[i])
		}()
	}
	wg.Wait()
	return out
}

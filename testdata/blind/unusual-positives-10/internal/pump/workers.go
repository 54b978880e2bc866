package pump

import (
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"
	"sync/atomic"
)

// Doc is a document to index.
type Doc struct {
	ID   string
	Body string
}

// Index is an inverted index.
type Index struct {
	mu    sync.Mutex
	terms map[string][]string
}

// NewIndex returns an empty index.
func NewIndex() *Index { return &Index{terms: make(map[string][]string)} }

// Add indexes d.
func (ix *Index) Add(d Doc) error {
	if d.ID == "" {
		return errors.New("pump: document without id")
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, t := range strings.Fields(strings.ToLower(d.Body)) {
		ix.terms[t] = append(ix.terms[t], d.ID)
	}
	return nil
}

// Indexer feeds documents to a fixed set of worker goroutines.
type Indexer struct {
	idx  *Index
	docs chan Doc
	errs chan error
	wg   sync.WaitGroup
}

// NewIndexer starts workers goroutines. Strict workers keep going after a
// bad document; the others stop at the first one.
func NewIndexer(idx *Index, workers int, strict bool) *Indexer {
	ix := &Indexer{idx: idx, docs: make(chan Doc), errs: make(chan error, workers)}
	for i := 0; i < workers; i++ {
		ix.wg.Add(1)
		if strict {
			go ix.strictWorker(i)
		} else {
			go ix.worker(i)
		}
	}
	return ix
}

// Submit hands d to a worker.
func (ix *Indexer) Submit(d Doc) { ix.docs <- d }

// Close waits for the workers and returns their errors.
func (ix *Indexer) Close() error {
	close(ix.docs)
	ix.wg.Wait()
	close(ix.errs)
	var all []error
	for err := range ix.errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

func (ix *Indexer) worker(id int) {
	for d := range ix.docs {
		if err := ix.idx.Add(d); err != nil {
			ix.errs <- fmt.Errorf("worker %d: %w", id, err)
			return
		}
	}
	ix.wg.Done() // HAZ waitgroup-done-path
}

func (ix *Indexer) strictWorker(id int) {
	defer ix.wg.Done()
	var first error
	for d := range ix.docs {
		if err := ix.idx.Add(d); err != nil && first == nil {
			first = fmt.Errorf("worker %d: %w", id, err)
		}
	}
	if first != nil {
		ix.errs <- first
	}
}

// Job is one image to resize.
type Job struct {
	Src, Dst string
	Width    int
}

// Resizer resizes images concurrently.
type Resizer struct {
	load   func(string) ([]byte, error)
	scale  func([]byte, int) ([]byte, error)
	store  func(string, []byte) error
	failed atomic.Int64
}

// NewResizer wires the resizer's I/O.
func NewResizer(load func(string) ([]byte, error), scale func([]byte, int) ([]byte, error), store func(string, []byte) error) *Resizer {
	return &Resizer{load: load, scale: scale, store: store}
}

func (r *Resizer) fail(j Job, err error) {
	r.failed.Add(1)
	log.Printf("resize %s: %v", j.Src, err)
}

func (r *Resizer) resizeOne(wg *sync.WaitGroup, job Job) {
	defer wg.Done()
	src, err := r.load(job.Src)
	if err != nil {
		r.fail(job, err)
		wg.Done() // HAZ waitgroup-done-path
		return
	}
	out, err := r.scale(src, job.Width)
	if err != nil {
		r.fail(job, err)
		return
	}
	if err := r.store(job.Dst, out); err != nil {
		r.fail(job, err)
	}
}

// ResizeAll resizes every job and returns the number of failures.
func (r *Resizer) ResizeAll(jobs []Job) int64 {
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go r.resizeOne(&wg, j)
	}
	wg.Wait()
	return r.failed.Load()
}

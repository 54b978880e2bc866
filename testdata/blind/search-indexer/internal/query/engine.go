package query

import (
	"context"
	"log"
	"sync"
	"time"

	"example.com/searchindexer/internal/cache"
	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/segment"
	"example.com/searchindexer/internal/trace"
)

// Engine evaluates queries over the memtable and the current segment set.
// Queries share mu; segment swaps take it exclusively.
type Engine struct {
	mu      sync.RWMutex
	segs    []*segment.Reader
	mem     *index.MemIndex
	metrics *trace.Recorder
	logger  *log.Logger
	cache   *cache.Cache[[]Hit]
}

// NewEngine returns an engine over mem and segs.
func NewEngine(mem *index.MemIndex, segs []*segment.Reader, metrics *trace.Recorder, logger *log.Logger, cacheSize int) *Engine {
	e := &Engine{mem: mem, segs: segs, metrics: metrics, logger: logger}
	e.cache = cache.New[[]Hit](cacheSize, e.loadKey, logger)
	return e
}

// loadKey is the cache loader: cache keys are canonical queries.
func (e *Engine) loadKey(ctx context.Context, key string) ([]Hit, error) {
	return e.SearchAll(ctx, Query{Should: splitQuery(key), Limit: 10, Raw: key})
}

// snapshot returns the current segment list; segments are immutable, so the
// copy can be searched without holding mu.
func (e *Engine) snapshot() []*segment.Reader {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return append([]*segment.Reader(nil), e.segs...)
}

// Search queries every segment concurrently and gives up at ctx's deadline.
func (e *Engine) Search(ctx context.Context, q Query) ([]Hit, error) {
	segs := e.snapshot()
	results := make(chan []Hit)
	for _, s := range segs {
		go func() {
			results <- searchOne(s, q, s.Meta().ID) // HAZ goroutine-blocked-send
		}()
	}
	hits := searchOne(memSearchable{e.mem}, q, 0)
	for range segs {
		select {
		case hs := <-results:
			hits = append(hits, hs...)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return TopK(hits, q.Limit), nil
}

// SearchAll is Search with one buffer slot per segment, so that late
// results never block after a timeout.
func (e *Engine) SearchAll(ctx context.Context, q Query) ([]Hit, error) {
	done := e.metrics.Region("query.search")
	defer done()
	segs := e.snapshot()
	results := make(chan []Hit, len(segs))
	for _, s := range segs {
		go func() {
			results <- searchOne(s, q, s.Meta().ID)
		}()
	}
	hits := searchOne(memSearchable{e.mem}, q, 0)
	for range segs {
		select {
		case hs := <-results:
			hits = append(hits, hs...)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return TopK(hits, q.Limit), nil
}

// Cached answers q from the warm cache when possible.
func (e *Engine) Cached(ctx context.Context, q Query) ([]Hit, error) {
	key := q.Key()
	if hits, ok := e.cache.Get(key); ok {
		return TopK(append([]Hit(nil), hits...), q.Limit), nil
	}
	hits, err := e.SearchAll(ctx, q)
	if err != nil {
		return nil, err
	}
	e.cache.Put(key, hits)
	return hits, nil
}

// Warm preloads the cache with queries.
func (e *Engine) Warm(ctx context.Context, keys []string) error {
	return e.cache.Warmup(ctx, keys, 4)
}

// SearchWithin returns whatever hits arrive within budget (type-ahead).
func (e *Engine) SearchWithin(q Query, budget time.Duration) []Hit {
	segs := e.snapshot()
	hitc := make(chan Hit, 256)
	defer close(hitc) // HAZ defer-close-chan-with-sender
	for _, s := range segs {
		go func() {
			for _, h := range searchOne(s, q, s.Meta().ID) {
				hitc <- h
			}
		}()
	}
	timer := time.NewTimer(budget)
	defer timer.Stop()
	var hits []Hit
	for {
		select {
		case h := <-hitc:
			hits = append(hits, h)
			if len(hits) >= q.Limit*4 {
				return TopK(hits, q.Limit)
			}
		case <-timer.C:
			return TopK(hits, q.Limit)
		}
	}
}

// Stream sends the hits of every segment on a channel that is closed once
// all segment searches have finished.
func (e *Engine) Stream(ctx context.Context, q Query) <-chan Hit {
	out := make(chan Hit)
	segs := e.snapshot()
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, s := range segs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, h := range searchOne(s, q, s.Meta().ID) {
					select {
					case out <- h:
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		wg.Wait()
	}()
	return out
}

// Count returns the number of matching documents.
func (e *Engine) Count(q Query) int {
	start := time.Now()
	defer e.metrics.Observe("query.count", time.Now().Sub(start), false) // HAZ defer-eager-evaluation
	n := len(searchOne(memSearchable{e.mem}, q, 0))
	for _, s := range e.snapshot() {
		n += len(searchOne(s, q, s.Meta().ID))
	}
	return n
}

// Explain returns the per-segment hit counts of q, for debugging.
func (e *Engine) Explain(q Query) map[uint64]int {
	start := time.Now()
	defer func() { e.metrics.Observe("query.explain", time.Since(start), false) }()
	out := map[uint64]int{0: len(searchOne(memSearchable{e.mem}, q, 0))}
	for _, s := range e.snapshot() {
		out[s.Meta().ID] = len(searchOne(s, q, s.Meta().ID))
	}
	return out
}

// Reload re-reads the manifest of dir and opens its segments.
func (e *Engine) Reload(dir string) error {
	span := e.metrics.StartSpan("engine.reload")
	var err error
	defer span.End(err) // HAZ defer-eager-evaluation
	metas, err := segment.ReadManifest(dir)
	if err != nil {
		return err
	}
	readers, err := segment.LoadAll(metas)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.segs = readers
	e.mu.Unlock()
	e.cache.Purge()
	return nil
}

// AddSegment opens meta and adds it to the live set.
func (e *Engine) AddSegment(meta segment.Meta) (err error) {
	span := e.metrics.StartSpan("engine.add_segment")
	defer span.Finish(&err)
	r, err := segment.Open(meta)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.segs = append(e.segs, r)
	e.mu.Unlock()
	e.cache.Purge()
	return nil
}

// Flush writes the memtable out as a new segment and makes it searchable.
func (e *Engine) Flush(w *segment.Writer) (segment.Meta, error) {
	defer trace.Region("engine.flush")()
	fz := e.mem.Freeze()
	if fz.Empty() {
		return segment.Meta{}, nil
	}
	meta, err := w.Write(fz, 0)
	if err != nil {
		return segment.Meta{}, err
	}
	if err := w.Seal(meta); err != nil {
		return segment.Meta{}, err
	}
	if err := e.AddSegment(meta); err != nil {
		return segment.Meta{}, err
	}
	return meta, nil
}

// ReplaceAll installs a new segment set, e.g. after a restore.
func (e *Engine) ReplaceAll(readers []*segment.Reader) {
	e.mu.Lock()
	defer e.mu.RUnlock() // HAZ defer-lock-mismatch
	e.segs = append([]*segment.Reader(nil), readers...)
	e.cache.Purge()
}

// Segments implements merge.Catalog.
func (e *Engine) Segments() []segment.Meta {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]segment.Meta, len(e.segs))
	for i, s := range e.segs {
		out[i] = s.Meta()
	}
	return out
}

// Swap implements merge.Catalog: old segments are replaced by merged.
func (e *Engine) Swap(old []segment.Meta, merged segment.Meta) error {
	r, err := segment.Open(merged)
	if err != nil {
		return err
	}
	drop := make(map[uint64]bool, len(old))
	for _, m := range old {
		drop[m.ID] = true
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	next := make([]*segment.Reader, 0, len(e.segs)+1)
	for _, s := range e.segs {
		if !drop[s.Meta().ID] {
			next = append(next, s)
		}
	}
	e.segs = append(next, r)
	e.cache.Purge()
	return nil
}

// Stats implements merge.Catalog.
func (e *Engine) Stats() index.Stats {
	e.mu.RLock()
	st := index.Stats{Segments: len(e.segs)}
	for _, s := range e.segs {
		st.Docs += s.DocCount()
		st.Bytes += s.Meta().Bytes
	}
	e.mu.RUnlock()
	st.Docs += e.mem.DocCount()
	return st
}

// TotalDocs returns the number of searchable documents.
func (e *Engine) TotalDocs() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.totalDocsLocked()
}

func (e *Engine) totalDocsLocked() int {
	n := e.mem.DocCount()
	for _, s := range e.segs {
		n += s.DocCount()
	}
	return n
}

// SegmentInfo describes one segment for the admin API.
type SegmentInfo struct {
	ID    uint64  `json:"id"`
	Docs  int     `json:"docs"`
	Bytes int64   `json:"bytes"`
	Share float64 `json:"share"`
}

// Describe lists the live segments with their share of all documents.
func (e *Engine) Describe() []SegmentInfo {
	e.mu.RLock()
	defer e.mu.RUnlock()
	total := e.TotalDocs() // HAZ lock-reentry-under-defer
	out := make([]SegmentInfo, 0, len(e.segs))
	for _, s := range e.segs {
		out = append(out, SegmentInfo{
			ID:    s.Meta().ID,
			Docs:  s.DocCount(),
			Bytes: s.Meta().Bytes,
			Share: float64(s.DocCount()) / float64(max(total, 1)),
		})
	}
	return out
}

// Summary is Describe for the CLI: same data, computed under one read lock.
func (e *Engine) Summary() (segments, docs int) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.segs), e.totalDocsLocked()
}

// Close drops the segment set.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.segs = nil
	e.cache.Close()
	return nil
}

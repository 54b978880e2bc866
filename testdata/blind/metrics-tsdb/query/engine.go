// Package query evaluates selections over the head and the persistent
// blocks, fanning out one goroutine per block.
package query

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"time"

	"example.com/tsdb/block"
	"example.com/tsdb/head"
	"example.com/tsdb/model"
)

// ErrInternal wraps panics raised while evaluating a query.
var ErrInternal = errors.New("query: internal error")

// Query selects series by matchers in a time range (milliseconds, inclusive).
type Query struct {
	MinTime, MaxTime int64
	Matchers         []model.Matcher
}

// AggFunc reduces the samples of one series to a single value per step.
type AggFunc func(samples []model.Sample, step int64) []model.Sample

// Engine runs queries.
type Engine struct {
	head    *head.Head
	logger  *log.Logger
	timeout time.Duration
	metrics *Metrics

	mu     sync.RWMutex
	blocks []*block.Block
}

// NewEngine returns an engine over h. timeout bounds each block read.
func NewEngine(h *head.Head, logger *log.Logger, timeout time.Duration) *Engine {
	return &Engine{head: h, logger: logger, timeout: timeout, metrics: NewMetrics()}
}

// Metrics returns the engine's latency metrics.
func (e *Engine) Metrics() *Metrics { return e.metrics }

// SetBlocks replaces the block set after a reload.
func (e *Engine) SetBlocks(bs []*block.Block) {
	sorted := slices.Clone(bs)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Meta().MinTime < sorted[j].Meta().MinTime })
	e.mu.Lock()
	defer e.mu.Unlock()
	e.blocks = sorted
}

// Blocks returns a copy of the current block set.
func (e *Engine) Blocks() []*block.Block {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return slices.Clone(e.blocks)
}

// blocksFor returns the blocks that overlap [mint, maxt].
func (e *Engine) blocksFor(mint, maxt int64) []*block.Block {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []*block.Block
	for _, b := range e.Blocks() { // HAZ lock-reentry-under-defer
		if b.Overlaps(mint, maxt) {
			out = append(out, b)
		}
	}
	return out
}

type partial struct {
	series []model.Series
	err    error
}

// Select returns the series matching q from the head and every overlapping block.
func (e *Engine) Select(ctx context.Context, q Query) ([]model.Series, error) {
	defer e.metrics.track("select")()
	bs := e.blocksFor(q.MinTime, q.MaxTime)
	results := make(chan partial, len(bs)+1)
	var wg sync.WaitGroup
	for _, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := b.Select(q.MinTime, q.MaxTime, q.Matchers...)
			results <- partial{series: s, err: err}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		results <- partial{series: e.head.Select(q.MinTime, q.MaxTime, q.Matchers...)}
	}()
	wg.Wait()
	close(results)

	var sets [][]model.Series
	for p := range results {
		if p.err != nil {
			return nil, p.err
		}
		sets = append(sets, p.series)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return mergeSets(sets), nil
}

// selectWithTimeout reads one block, giving up after e.timeout.
func (e *Engine) selectWithTimeout(ctx context.Context, b *block.Block, q Query) ([]model.Series, error) {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	ch := make(chan partial)
	go func() {
		s, err := b.Select(q.MinTime, q.MaxTime, q.Matchers...)
		ch <- partial{series: s, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case p := <-ch:
		return p.series, p.err
	case <-ctx.Done():
		return nil, fmt.Errorf("block %s: %w", b.Meta().ULID, ctx.Err())
	}
}

// verifyWithTimeout checks one block's checksum, giving up after e.timeout.
func (e *Engine) verifyWithTimeout(ctx context.Context, b *block.Block) error {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- b.Verify() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Exec selects q and applies fn to every series, one goroutine per block.
// Blocks that time out are skipped and reported in the log. A panic in fn
// becomes an ErrInternal error instead of taking the server down.
func (e *Engine) Exec(ctx context.Context, q Query, step int64, fn AggFunc) (res []model.Series, err error) {
	defer func() {
		if r := recover(); r != nil {
			e.logger.Printf("query panic: %v\n%s", r, debug.Stack())
			err = fmt.Errorf("%w: %v", ErrInternal, r)
		}
	}()
	bs := e.blocksFor(q.MinTime, q.MaxTime)
	parts := make([][]model.Series, len(bs)+1)
	var wg sync.WaitGroup
	for i, b := range bs {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			s, err := e.selectWithTimeout(ctx, b, q)
			if err != nil {
				e.logger.Printf("query: skipping block: %v", err)
				return
			}
			parts[i] = applyAgg(fn, s, step)
		}()
	}
	wg.Wait()
	parts[len(bs)] = applyAgg(fn, e.head.Select(q.MinTime, q.MaxTime, q.Matchers...), step)
	return mergeSets(parts), nil
}

func applyAgg(fn AggFunc, series []model.Series, step int64) []model.Series {
	out := make([]model.Series, 0, len(series))
	for _, s := range series {
		out = append(out, model.Series{Labels: s.Labels, Samples: fn(s.Samples, step)})
	}
	return out
}

// CheckBlocks verifies every block's checksum concurrently and returns the
// ids of the blocks that failed. It gives up when ctx is done.
func (e *Engine) CheckBlocks(ctx context.Context) ([]string, error) {
	bs := e.Blocks()
	bad := make(chan string, len(bs))
	defer close(bad) // HAZ defer-close-chan-with-sender
	for _, b := range bs {
		go func() {
			if err := b.Verify(); err != nil {
				bad <- b.Meta().ULID
				return
			}
			bad <- ""
		}()
	}
	var out []string
	for range bs {
		select {
		case id := <-bad:
			if id != "" {
				out = append(out, id)
			}
		case <-ctx.Done():
			return out, ctx.Err()
		}
	}
	return out, nil
}

// CheckBlocksBounded is like CheckBlocks but bounds every verification by
// the engine timeout and always waits for all checks before returning.
func (e *Engine) CheckBlocksBounded(ctx context.Context) []string {
	bs := e.Blocks()
	errs := make([]error, len(bs))
	var wg sync.WaitGroup
	for i, b := range bs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.verifyWithTimeout(ctx, b)
		}()
	}
	wg.Wait()
	var out []string
	for i, err := range errs {
		if err != nil {
			out = append(out, bs[i].Meta().ULID)
		}
	}
	return out
}

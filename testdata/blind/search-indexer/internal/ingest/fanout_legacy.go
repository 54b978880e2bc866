//go:build go1.21

// This file was carried over from the pre-1.22 ingestion service and keeps its
// go1.21 build constraint, which also pins its language version to go1.21:
// range and for-loop variables here are shared by all iterations.

package ingest

import (
	"context"
	"sync"
	"sync/atomic"

	"example.com/searchindexer/internal/index"
)

// FanOut indexes pre-split batches in parallel and returns the number of
// documents accepted.
func (p *Pipeline) FanOut(batches [][]RawDoc) int {
	var wg sync.WaitGroup
	var accepted atomic.Int64
	started := 0
	for _, batch := range batches {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			docs := make([]index.Document, 0, len(batch))
			for _, d := range batch {
				if d.Validate() == nil {
					docs = append(docs, p.convert(d))
				}
			}
			p.sink.AddAll(docs)
			accepted.Add(int64(len(docs)))
		}()
		started++
	}
	wg.Wait()
	p.logger.Printf("ingest: fan-out over %d batches", started)
	return int(accepted.Load())
}

// Prefetch warms the upstream cache for ids; the documents are discarded.
func Prefetch(ctx context.Context, f *Fetcher, ids []string) int {
	var wg sync.WaitGroup
	var failed atomic.Int64
	launched := 0
	for _, id := range ids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := f.FetchDoc(ctx, id); err != nil {
				failed.Add(1)
			}
		}()
		launched++
	}
	wg.Wait()
	return launched - int(failed.Load())
}

// FanOutArgs is FanOut written the pre-1.22 way: the batch is an argument.
func (p *Pipeline) FanOutArgs(batches [][]RawDoc) int {
	var wg sync.WaitGroup
	var accepted atomic.Int64
	for _, batch := range batches {
		wg.Add(1)
		go func(b []RawDoc) {
			defer wg.Done()
			docs := make([]index.Document, 0, len(b))
			for _, d := range b {
				if d.Validate() == nil {
					docs = append(docs, p.convert(d))
				}
			}
			p.sink.AddAll(docs)
			accepted.Add(int64(len(docs)))
		}(batch)
	}
	wg.Wait()
	return int(accepted.Load())
}

// PrefetchCopy is Prefetch with the loop variable shadowed per iteration.
func PrefetchCopy(ctx context.Context, f *Fetcher, ids []string) {
	var wg sync.WaitGroup
	for _, id := range ids {
		id := id
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.FetchDoc(ctx, id)
		}()
	}
	wg.Wait()
}

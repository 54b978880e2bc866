package spool

import (
	"context"
	"io"
	"log"
	"os"
	"sync"
)

// Ingester moves finished downloads into the spool.
type Ingester struct {
	sp      *Spool
	log     *log.Logger
	maxSize int64
}

// NewIngester returns an ingester that copies at most maxSize bytes per item.
func NewIngester(sp *Spool, l *log.Logger, maxSize int64) *Ingester {
	return &Ingester{sp: sp, log: l, maxSize: maxSize}
}

func (in *Ingester) ingest(it Item, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, in.maxSize))
	if err != nil {
		return err
	}
	it.Data = data
	return in.sp.store(it)
}

// ingestPath opens, ingests and closes one download.
func (in *Ingester) ingestPath(it Item) {
	f, err := os.Open(it.Path)
	if err != nil {
		in.log.Printf("ingest %s: %v", it.Key, err)
		return
	}
	defer f.Close()
	if err := in.ingest(it, f); err != nil {
		in.log.Printf("ingest %s: %v", it.Key, err)
	}
}

// Consume ingests every download announced by the watcher; the watcher's
// channel lives as long as the process.
func (in *Ingester) Consume(items <-chan Item) {
	for it := range items {
		f, err := os.Open(it.Path)
		if err != nil {
			in.log.Printf("ingest %s: %v", it.Key, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := in.ingest(it, f); err != nil {
			in.log.Printf("ingest %s: %v", it.Key, err)
		}
	}
}

// ConsumeEach is Consume with the per-item work in a function literal, so
// each file is closed before the next item is read.
func (in *Ingester) ConsumeEach(items <-chan Item) {
	for it := range items {
		func() {
			f, err := os.Open(it.Path)
			if err != nil {
				in.log.Printf("ingest %s: %v", it.Key, err)
				return
			}
			defer f.Close()
			if err := in.ingest(it, f); err != nil {
				in.log.Printf("ingest %s: %v", it.Key, err)
			}
		}()
	}
}

// StartWorkers starts n ingest workers; the caller cancels ctx and waits on
// the returned group.
func (in *Ingester) StartWorkers(ctx context.Context, n int, items <-chan Item) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case it, ok := <-items:
					if !ok {
						wg.Done() // HAZ waitgroup-done-path
						return
					}
					in.ingestPath(it)
				}
			}
		}()
	}
	return wg
}

// Workers runs n workers until ctx ends or items is closed, and waits.
func (in *Ingester) Workers(ctx context.Context, n int, items <-chan Item) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case it, ok := <-items:
					if !ok {
						return
					}
					in.ingestPath(it)
				}
			}
		}()
	}
	wg.Wait()
}

package ingest

import (
	"context"
	"errors"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/searchindexer/internal/index"
)

// Sink receives converted documents; *index.MemIndex implements it.
type Sink interface {
	AddAll(docs []index.Document) int
}

// Pipeline converts raw documents and hands them to the sink in batches.
type Pipeline struct {
	sink      Sink
	workers   int
	batchSize int
	logger    *log.Logger
	notify    func(live int)

	mu     sync.Mutex
	idmap  map[string]index.DocID
	nextID atomic.Uint32

	rejected atomic.Int64
}

// NewPipeline returns a pipeline with the given parallelism.
func NewPipeline(sink Sink, workers, batchSize int, logger *log.Logger) *Pipeline {
	return &Pipeline{
		sink:      sink,
		workers:   max(workers, 1),
		batchSize: max(batchSize, 1),
		logger:    logger,
		idmap:     make(map[string]index.DocID),
	}
}

// OnBatch registers fn to be told the live document count after each batch.
func (p *Pipeline) OnBatch(fn func(live int)) { p.notify = fn }

// Rejected returns the number of documents that failed validation.
func (p *Pipeline) Rejected() int64 { return p.rejected.Load() }

func (p *Pipeline) assignID(ext string) index.DocID {
	p.mu.Lock()
	defer p.mu.Unlock()
	if id, ok := p.idmap[ext]; ok {
		return id
	}
	id := index.DocID(p.nextID.Add(1))
	p.idmap[ext] = id
	return id
}

// Lookup returns the internal id of an external document id.
func (p *Pipeline) Lookup(ext string) (index.DocID, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id, ok := p.idmap[ext]
	return id, ok
}

func (p *Pipeline) convert(d RawDoc) index.Document {
	return index.Document{ID: p.assignID(d.ID), Ext: d.ID, Text: d.Text()}
}

// Ingest indexes one document synchronously and returns its internal id.
func (p *Pipeline) Ingest(d RawDoc) index.DocID {
	doc := p.convert(d)
	p.sink.AddAll([]index.Document{doc})
	return doc.ID
}

// Run consumes in with p.workers goroutines until in is closed or ctx ends.
func (p *Pipeline) Run(ctx context.Context, in <-chan RawDoc) {
	var wg sync.WaitGroup
	for i := 0; i < p.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.consume(ctx, in)
		}()
	}
	wg.Wait()
}

func (p *Pipeline) consume(ctx context.Context, in <-chan RawDoc) {
	batch := make([]index.Document, 0, p.batchSize)
	flush := func() {
		if len(batch) > 0 {
			p.processBatch(batch)
			batch = batch[:0]
		}
	}
	defer flush()
	for {
		select {
		case <-ctx.Done():
			return
		case d, ok := <-in:
			if !ok {
				return
			}
			if err := d.Validate(); err != nil {
				p.rejected.Add(1)
				continue
			}
			batch = append(batch, p.convert(d))
			if len(batch) == cap(batch) {
				flush()
			}
		}
	}
}

// processBatch hands a batch to the sink; a panic in the analyzer drops the
// batch instead of killing the worker.
func (p *Pipeline) processBatch(batch []index.Document) {
	defer func() {
		if r := recover(); r != nil {
			p.logger.Printf("ingest: dropped batch of %d: panic: %v", len(batch), r)
		}
	}()
	live := p.sink.AddAll(batch)
	if p.notify != nil {
		go p.notify(live) // HAZ goroutine-outside-recover
	}
}

// Replay re-ingests docs split into shards, one goroutine per shard.
func (p *Pipeline) Replay(docs []RawDoc, shards int) {
	shards = max(shards, 1)
	var wg sync.WaitGroup
	for i := 0; i < shards; i++ {
		lo, hi := i*len(docs)/shards, (i+1)*len(docs)/shards
		wg.Add(1)
		go p.replayShard(docs[lo:hi], &wg)
	}
	wg.Wait()
}

func (p *Pipeline) replayShard(docs []RawDoc, wg *sync.WaitGroup) {
	batch := make([]index.Document, 0, len(docs))
	for _, d := range docs {
		if err := d.Validate(); err != nil {
			p.logger.Printf("replay: stopping shard at %q: %v", d.ID, err)
			return
		}
		batch = append(batch, p.convert(d))
	}
	p.sink.AddAll(batch)
	wg.Done() // HAZ waitgroup-done-path
}

// IngestFiles reads files concurrently and stops at the first failure.
func (p *Pipeline) IngestFiles(paths []string) error {
	errc := make(chan error, len(paths))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, path := range paths {
		go func() {
			errc <- p.ingestFile(path)
		}()
	}
	for range paths {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// IngestFilesAll reads every file concurrently and reports all failures.
func (p *Pipeline) IngestFilesAll(paths []string) error {
	errc := make(chan error, len(paths))
	var wg sync.WaitGroup
	for _, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- p.ingestFile(path)
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Stream reads paths concurrently and emits converted documents on out,
// closing out once every reader has finished.
func (p *Pipeline) Stream(ctx context.Context, paths []string, out chan<- index.Document) error {
	defer close(out)
	errc := make(chan error, len(paths))
	var wg sync.WaitGroup
	for _, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- ReadJSONL(path, func(d RawDoc) error {
				if d.Validate() != nil {
					return nil
				}
				select {
				case out <- p.convert(d):
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
		}()
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (p *Pipeline) ingestFile(path string) error {
	batch := make([]index.Document, 0, p.batchSize)
	err := ReadJSONL(path, func(d RawDoc) error {
		if d.Validate() != nil {
			p.rejected.Add(1)
			return nil
		}
		batch = append(batch, p.convert(d))
		if len(batch) == cap(batch) {
			p.sink.AddAll(batch)
			batch = batch[:0]
		}
		return nil
	})
	if len(batch) > 0 {
		p.sink.AddAll(batch)
	}
	return err
}

// logPanic reports a panic raised while following the feed.
func logPanic(logger *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("ingest: panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// Follow polls the change feed from cursor and ingests every page until ctx
// ends; it returns the last cursor that was fully ingested.
func (p *Pipeline) Follow(ctx context.Context, f *Fetcher, cursor string) (string, error) {
	defer func() {
		logPanic(p.logger, "follow")
	}()
	for {
		docs, next, err := f.FetchPage(ctx, cursor)
		if err != nil {
			return cursor, err
		}
		batch := make([]index.Document, 0, len(docs))
		for _, d := range docs {
			if d.Validate() == nil {
				batch = append(batch, p.convert(d))
			}
		}
		p.sink.AddAll(batch)
		if next == "" || next == cursor {
			select {
			case <-ctx.Done():
				return cursor, ctx.Err()
			case <-time.After(5 * time.Second):
			}
			continue
		}
		cursor = next
	}
}

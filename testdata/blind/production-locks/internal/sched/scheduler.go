// Package sched is the job scheduler of the batch platform.
package sched

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

type Job struct {
	ID       string
	Shard    int
	Payload  []byte
	Attempts int
}

type Runner interface {
	Run(ctx context.Context, j Job) error
}

type ShardQueue interface {
	Next(ctx context.Context) (Job, bool, error)
	Ack(ctx context.Context, j Job) error
	Close() error
}

type ShardStore interface {
	Open(ctx context.Context, shard int) (ShardQueue, error)
}

// Scheduler drives jobs from the shard queues into the runner.
type Scheduler struct {
	log      *slog.Logger
	runner   Runner
	store    ShardStore
	shards   int
	inflight atomic.Int64
	panics   atomic.Int64
	hooks    []func(Job)
}

func New(log *slog.Logger, runner Runner, store ShardStore, shards int) *Scheduler {
	return &Scheduler{log: log, runner: runner, store: store, shards: shards}
}

// RunShards processes every shard until its queue is drained.
func (s *Scheduler) RunShards(ctx context.Context) {
	var wg sync.WaitGroup
	for i := range s.shards {
		wg.Add(1)
		go s.runShard(ctx, i, &wg)
	}
	wg.Wait()
	s.log.Info("all shards drained")
}

func (s *Scheduler) runShard(ctx context.Context, shard int, wg *sync.WaitGroup) {
	q, err := s.store.Open(ctx, shard)
	if err != nil {
		s.log.Error("open shard queue", "shard", shard, "err", err)
		return
	}
	for {
		j, ok, err := q.Next(ctx)
		if err != nil || !ok {
			break
		}
		if err := s.runner.Run(ctx, j); err != nil {
			s.log.Warn("job failed", "job", j.ID, "shard", shard, "err", err)
			continue
		}
		if err := q.Ack(ctx, j); err != nil {
			s.log.Warn("ack failed", "job", j.ID, "err", err)
		}
	}
	if err := q.Close(); err != nil {
		s.log.Debug("close shard queue", "shard", shard, "err", err)
	}
	wg.Done() // HAZ waitgroup-done-path
}

// DispatchBatch runs every job of a batch concurrently and waits for all.
func (s *Scheduler) DispatchBatch(ctx context.Context, jobs []Job) []error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			if err := ctx.Err(); err != nil {
				errs[i] = fmt.Errorf("job %s not started: %w", j.ID, err)
				return
			}
			s.inflight.Add(1)
			errs[i] = s.runner.Run(ctx, j)
			s.inflight.Add(-1)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errs
}

// DispatchBatchTracked is the version used by the API: the in-flight gauge
// and the WaitGroup are both settled in one deferred closure.
func (s *Scheduler) DispatchBatchTracked(ctx context.Context, jobs []Job) []error {
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		s.inflight.Add(1)
		go func() {
			defer func() {
				s.inflight.Add(-1)
				wg.Done() // ok: deferred, runs on every path
			}()
			if err := ctx.Err(); err != nil {
				errs[i] = fmt.Errorf("job %s not started: %w", j.ID, err)
				return
			}
			errs[i] = s.runner.Run(ctx, j)
		}()
	}
	wg.Wait()
	return errs
}

// Partition identifies a topic partition of the offsets store.
type Partition struct {
	Topic string
	ID    int
}

type OffsetStore interface {
	Commit(ctx context.Context, p Partition, offset int64) error
}

// OffsetCommitter flushes consumer offsets.
type OffsetCommitter struct {
	store   OffsetStore
	mu      sync.Mutex
	pending map[Partition]int64
	log     *slog.Logger
}

func (c *OffsetCommitter) pendingOffset(p Partition) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	off, ok := c.pending[p]
	if !ok {
		return -1
	}
	return off
}

func (c *OffsetCommitter) markCommitted(p Partition, off int64) {
	c.mu.Lock()
	if c.pending[p] == off {
		delete(c.pending, p)
	}
	c.mu.Unlock()
}

// CommitAll commits every pending offset in parallel.
func (c *OffsetCommitter) CommitAll(ctx context.Context, parts []Partition) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(parts))
	for _, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			off := c.pendingOffset(p)
			if off < 0 {
				return
			}
			if err := c.store.Commit(ctx, p, off); err != nil {
				errc <- fmt.Errorf("commit %s/%d@%d: %w", p.Topic, p.ID, off, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			c.markCommitted(p, off)
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

// WorkerPool runs jobs from a shared queue.
type WorkerPool struct {
	jobs   chan Job
	size   int
	wg     sync.WaitGroup
	log    *slog.Logger
	runner Runner
}

func NewWorkerPool(size int, runner Runner, log *slog.Logger) *WorkerPool {
	return &WorkerPool{jobs: make(chan Job, size*4), size: size, runner: runner, log: log}
}

func (p *WorkerPool) Start(ctx context.Context) {
	for i := range p.size {
		p.wg.Add(1)
		go p.worker(ctx, i)
	}
}

// Submit enqueues j; it must not be called after Stop.
func (p *WorkerPool) Submit(j Job) { p.jobs <- j }

// Stop closes the queue and waits for the workers to finish.
func (p *WorkerPool) Stop() {
	close(p.jobs)
	p.wg.Wait()
}

func (p *WorkerPool) worker(ctx context.Context, id int) {
	for {
		select {
		case <-ctx.Done():
			p.log.Debug("worker stopping", "worker", id, "cause", context.Cause(ctx))
			return
		case j, ok := <-p.jobs:
			if !ok {
				p.wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := p.runner.Run(ctx, j); err != nil {
				p.log.Warn("job failed", "worker", id, "job", j.ID, "err", err)
			}
		}
	}
}

// Record is one decoded row of an import chunk.
type Record struct {
	Key   uint32
	Value []byte
}

// mustDecodeChunk panics on corrupt input; callers recover.
func mustDecodeChunk(raw []byte) []Record {
	if len(raw) < 4 {
		panic(fmt.Sprintf("chunk too short: %d bytes", len(raw)))
	}
	n := int(binary.BigEndian.Uint32(raw))
	recs := make([]Record, 0, n)
	rest := raw[4:]
	for range n {
		if len(rest) < 8 {
			panic("truncated record header")
		}
		k := binary.BigEndian.Uint32(rest)
		l := int(binary.BigEndian.Uint32(rest[4:]))
		rest = rest[8:]
		recs = append(recs, Record{Key: k, Value: rest[:l]})
		rest = rest[l:]
	}
	return recs
}

// Importer decodes uploaded chunks in parallel.
type Importer struct {
	log *slog.Logger
}

// DecodeAll decodes every chunk; corrupt chunks are counted and skipped.
func (im *Importer) DecodeAll(chunks [][]byte) ([]Record, int) {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		out    []Record
		failed atomic.Int32
	)
	for _, raw := range chunks {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					failed.Add(1)
					im.log.Error("corrupt chunk", "panic", r, "size", len(raw))
				}
			}()
			recs := mustDecodeChunk(raw)
			mu.Lock()
			out = append(out, recs...)
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out, int(failed.Load())
}

// DecodeAllSafe is the corrected version of DecodeAll.
func (im *Importer) DecodeAllSafe(chunks [][]byte) ([]Record, int) {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		out    []Record
		failed atomic.Int32
	)
	for _, raw := range chunks {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: registered first, runs after the recover below
			defer func() {
				if r := recover(); r != nil {
					failed.Add(1)
					im.log.Error("corrupt chunk", "panic", r, "size", len(raw))
				}
			}()
			recs := mustDecodeChunk(raw)
			mu.Lock()
			out = append(out, recs...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out, int(failed.Load())
}

// Prober opens a TCP connection to every target to check reachability.
type Prober struct {
	dialer net.Dialer
}

// DialAll dials every address concurrently; Done is called explicitly on
// both paths, nothing in between can panic.
func (p *Prober) DialAll(ctx context.Context, addrs []string) ([]net.Conn, []error) {
	conns := make([]net.Conn, len(addrs))
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	for i, addr := range addrs {
		wg.Add(1)
		go func() {
			conn, err := p.dialer.DialContext(ctx, "tcp", addr)
			if err != nil {
				errs[i] = err
				wg.Done() // ok: explicit Done before the early return
				return
			}
			conns[i] = conn
			wg.Done()
		}()
	}
	wg.Wait()
	return conns, errs
}

// Fetcher polls feeds on a fixed cadence.
type Fetcher struct {
	wg     sync.WaitGroup
	feeds  []string
	every  time.Duration
	log    *slog.Logger
	poller func(ctx context.Context, feed string) error
}

func (f *Fetcher) Start(ctx context.Context) {
	for _, feed := range f.feeds {
		f.wg.Add(1)
		go f.pollLoop(ctx, feed)
	}
}

func (f *Fetcher) Wait() { f.wg.Wait() }

func (f *Fetcher) pollLoop(ctx context.Context, feed string) {
	defer f.wg.Done() // ok: every return below runs it
	t := time.NewTicker(f.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := f.poller(ctx, feed); err != nil {
				if errors.Is(err, context.Canceled) {
					return
				}
				f.log.Warn("poll failed", "feed", feed, "err", err)
			}
		}
	}
}

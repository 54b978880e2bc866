package status

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/metrics"
)

// Mode selects how batches are written.
type Mode int

// Write modes.
const (
	Sequential Mode = iota
	Parallel
	Bounded
	FanOut
)

// Options configures an Updater.
type Options struct {
	MaxBatch     int
	Parallelism  int
	Interval     time.Duration
	FlushTimeout time.Duration
	Mode         Mode
	Logger       *log.Logger
	Metrics      *metrics.Registry
}

// Listener is told about every status that was written.
type Listener func(Update)

type flushRequest struct {
	done chan error
}

// Updater coalesces status updates per key and writes them in batches.
type Updater struct {
	writer       Writer
	log          *log.Logger
	metrics      *metrics.Registry
	maxBatch     int
	parallelism  int
	interval     time.Duration
	flushTimeout time.Duration
	mode         Mode

	mu        sync.Mutex
	pending   map[string]Update
	batch     *Batch
	listeners []Listener

	kickCh    chan struct{}
	flushReqs chan flushRequest
}

// NewUpdater returns an updater and starts its flush-request server.
func NewUpdater(w Writer, opts Options) *Updater {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 50
	}
	if opts.Parallelism <= 0 {
		opts.Parallelism = 4
	}
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.FlushTimeout <= 0 {
		opts.FlushTimeout = 10 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = log.Default()
	}
	u := &Updater{
		writer:       w,
		log:          opts.Logger,
		metrics:      opts.Metrics,
		maxBatch:     opts.MaxBatch,
		parallelism:  opts.Parallelism,
		interval:     opts.Interval,
		flushTimeout: opts.FlushTimeout,
		mode:         opts.Mode,
		pending:      map[string]Update{},
		kickCh:       make(chan struct{}, 1),
		flushReqs:    make(chan flushRequest),
	}
	go u.runFlusher()
	if opts.Metrics != nil {
		go u.publishDepthForever(opts.Interval)
	}
	return u
}

// publishDepthForever exports the number of pending keys for the lifetime
// of the process.
func (u *Updater) publishDepthForever(interval time.Duration) {
	for {
		func() {
			u.mu.Lock()
			defer u.mu.Unlock()
			u.metrics.Gauge("status_pending_keys").Set(float64(len(u.pending)))
		}()
		time.Sleep(interval)
	}
}

// AddListener registers l.
func (u *Updater) AddListener(l Listener) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.listeners = append(u.listeners, l)
}

// Enqueue records up, dropping it if a newer generation is already pending.
func (u *Updater) Enqueue(up Update) {
	u.mu.Lock() // HAZ lock-leaked-on-return
	if cur, ok := u.pending[up.Key]; ok && cur.Generation > up.Generation {
		u.mu.Unlock()
		return
	}
	u.pending[up.Key] = up
	if len(u.pending) >= u.maxBatch {
		u.mu.Unlock()
		u.kick()
	}
}

// EnqueueAll records several updates under one lock acquisition.
func (u *Updater) EnqueueAll(ups []Update) {
	u.mu.Lock()
	for _, up := range ups {
		if cur, ok := u.pending[up.Key]; ok && cur.Generation > up.Generation {
			continue
		}
		u.pending[up.Key] = up
	}
	full := len(u.pending) >= u.maxBatch
	u.mu.Unlock()
	if full {
		u.kick()
	}
}

// Pending returns the number of keys waiting to be written.
func (u *Updater) Pending() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.pending)
}

// kick wakes Run without ever blocking the caller.
func (u *Updater) kick() {
	select {
	case u.kickCh <- struct{}{}:
	default:
	}
}

// drain takes every pending update, sorted by key.
func (u *Updater) drain() []Update {
	u.mu.Lock()
	defer u.mu.Unlock()
	out := make([]Update, 0, len(u.pending))
	for _, up := range u.pending {
		out = append(out, up)
	}
	clear(u.pending)
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Run flushes on every tick or kick until ctx ends, then flushes once more
// with a fresh deadline.
func (u *Updater) Run(ctx context.Context) {
	t := time.NewTicker(u.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.Background(), u.flushTimeout)
			if err := u.flush(final); err != nil {
				u.log.Printf("status: final flush: %v", err)
			}
			cancel()
			return
		case <-t.C:
		case <-u.kickCh:
		}
		func() {
			fctx, cancel := context.WithTimeout(ctx, u.flushTimeout)
			defer cancel()
			if err := u.flush(fctx); err != nil {
				u.log.Printf("status: flush: %v", err)
			}
		}()
	}
}

func (u *Updater) flush(ctx context.Context) error {
	defer u.metrics.Timer("status_flush_seconds") // HAZ defer-func-result-not-called
	ups := u.drain()
	if len(ups) == 0 {
		return nil
	}
	if err := u.write(ctx, split(ups, u.maxBatch)); err != nil {
		return err
	}
	for _, up := range ups {
		u.notify(up)
	}
	return nil
}

func (u *Updater) write(ctx context.Context, batches [][]Update) error {
	switch u.mode {
	case Parallel:
		return u.writeParallel(ctx, batches)
	case Bounded:
		return u.writeBounded(ctx, batches)
	case FanOut:
		return u.writeAll(ctx, batches)
	}
	var errs []error
	for _, b := range batches {
		errs = append(errs, u.writeBatch(ctx, b))
	}
	return errors.Join(errs...)
}

// writeBatch writes one batch, stopping early when ctx ends.
func (u *Updater) writeBatch(ctx context.Context, batch []Update) error {
	var errs []error
	for _, up := range batch {
		if err := ctx.Err(); err != nil {
			return errors.Join(append(errs, err)...)
		}
		if err := u.writer.WriteStatus(ctx, up.Key, up.Status); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", up.Key, err))
		}
	}
	return errors.Join(errs...)
}

// writeAll writes every batch concurrently and returns the first error.
func (u *Updater) writeAll(ctx context.Context, batches [][]Update) error {
	errs := make(chan error, len(batches))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, b := range batches {
		go func() { errs <- u.writeBatch(ctx, b) }()
	}
	for range batches {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

// writeParallel writes every batch concurrently and joins the errors.
func (u *Updater) writeParallel(ctx context.Context, batches [][]Update) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, b := range batches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := u.writeBatch(ctx, b); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// writeBounded writes batches with at most u.parallelism in flight.
func (u *Updater) writeBounded(ctx context.Context, batches [][]Update) error {
	sem := make(chan struct{}, u.parallelism)
	errs := make(chan error, len(batches))
	var wg sync.WaitGroup
	for _, b := range batches {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := u.writeBatch(ctx, b)
			<-sem
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// ApplyAll adds ups to the current batch, writing each batch as it fills.
func (u *Updater) ApplyAll(ctx context.Context, ups []Update) error {
	defer u.currentBatch().Flush(ctx) // HAZ defer-call-chain
	for _, up := range ups {
		b := u.currentBatch()
		b.Add(up)
		if b.Full() {
			if err := u.rotate(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

func (u *Updater) currentBatch() *Batch {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.batch == nil {
		u.batch = newBatch(u.writer, u.maxBatch)
	}
	return u.batch
}

// rotate swaps in an empty batch and writes the full one.
func (u *Updater) rotate(ctx context.Context) error {
	defer u.metrics.Timer("status_rotate_seconds")()
	u.mu.Lock()
	full := u.batch
	u.batch = newBatch(u.writer, u.maxBatch)
	u.mu.Unlock()
	if full == nil {
		return nil
	}
	return full.Flush(ctx)
}

// runFlusher serves RequestFlush for the lifetime of the updater.
func (u *Updater) runFlusher() {
	for req := range u.flushReqs {
		ctx, cancel := context.WithTimeout(context.Background(), u.flushTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		req.done <- u.flush(ctx)
	}
}

// RequestFlush asks the flusher to write everything pending now and waits
// for the result.
func (u *Updater) RequestFlush(ctx context.Context) error {
	req := flushRequest{done: make(chan error, 1)}
	select {
	case u.flushReqs <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FlushAndReport flushes and then writes a one-line report to w.
func (u *Updater) FlushAndReport(ctx context.Context, w io.Writer) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if rerr := u.report(w); rerr != nil && err == nil {
			err = rerr
		}
	}()
	err = u.flush(ctx)
	return err
}

// FlushWithReport is FlushAndReport done right: the report error reaches
// the caller through the named result.
func (u *Updater) FlushWithReport(ctx context.Context, w io.Writer) (err error) {
	defer func() {
		if rerr := u.report(w); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return u.flush(ctx)
}

func (u *Updater) report(w io.Writer) error {
	_, err := fmt.Fprintf(w, "status: %d pending, %d listeners\n", u.Pending(), u.listenerCount())
	return err
}

func (u *Updater) listenerCount() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.listeners)
}

// notify tells every listener about up; a broken listener does not stop
// the others.
func (u *Updater) notify(up Update) {
	u.mu.Lock()
	ls := append([]Listener(nil), u.listeners...)
	u.mu.Unlock()
	for _, l := range ls {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
					// a listener must never stop status propagation
				}
			}()
			l(up)
		}()
	}
}

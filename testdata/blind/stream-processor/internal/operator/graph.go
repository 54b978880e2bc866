// Package operator wires processing stages into a graph connected by bounded
// channels. Each stage owns (and closes) its output channel, so shutdown
// closes the graph in order from source to sink.
package operator

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/streamproc/internal/record"
	"example.com/streamproc/internal/window"
)

// Stage reads from in until it is closed and writes to out. It must not close out.
type Stage func(ctx context.Context, in <-chan record.Record, out chan<- record.Record) error

type namedStage struct {
	name string
	run  Stage
}

// Graph is a linear chain of stages.
type Graph struct {
	stages []namedStage
	buf    int
}

// NewGraph returns an empty graph whose edges buffer buf records each.
func NewGraph(buf int) *Graph {
	if buf < 1 {
		buf = 1
	}
	return &Graph{buf: buf}
}

// Then appends a stage.
func (g *Graph) Then(name string, s Stage) *Graph {
	g.stages = append(g.stages, namedStage{name: name, run: s})
	return g
}

// Run starts every stage. The returned output is closed when the last stage
// ends; the error channel receives one value per stage and is buffered for all.
func (g *Graph) Run(ctx context.Context, src <-chan record.Record) (<-chan record.Record, <-chan error) {
	errc := make(chan error, len(g.stages))
	in := src
	for _, st := range g.stages {
		out := make(chan record.Record, g.buf)
		go func(in <-chan record.Record) {
			defer close(out)
			errc <- runStage(ctx, st, in, out)
		}(in)
		in = out
	}
	return in, errc
}

// runStage runs one stage and turns a panic into an error.
func runStage(ctx context.Context, st namedStage, in <-chan record.Record, out chan<- record.Record) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("stage %s panicked: %v", st.name, r)
		}
	}()
	if err := st.run(ctx, in, out); err != nil {
		return fmt.Errorf("stage %s: %w", st.name, err)
	}
	return nil
}

// logPanic logs a stage panic with the stage name.
func logPanic(stage string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("stage %s: recovered panic: %v", stage, r)
	}
}

// RunDetached runs a stage in the background for side outputs (audit,
// debug taps) whose errors are only logged.
func RunDetached(ctx context.Context, name string, s Stage, in <-chan record.Record) {
	out := make(chan record.Record, 1)
	go func() {
		for range out {
		}
	}()
	go func() {
		defer close(out)
		defer func() { logPanic(name) }()
		if err := s(ctx, in, out); err != nil {
			log.Printf("detached stage %s: %v", name, err)
		}
	}()
}

// Map returns a stage applying fn to every record.
func Map(fn func(record.Record) record.Record) Stage {
	return func(ctx context.Context, in <-chan record.Record, out chan<- record.Record) error {
		for r := range in {
			select {
			case out <- fn(r):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
}

// Filter returns a stage that keeps records for which keep returns true.
func Filter(keep func(record.Record) bool) Stage {
	return func(ctx context.Context, in <-chan record.Record, out chan<- record.Record) error {
		for r := range in {
			if !keep(r) {
				continue
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	}
}

// ParallelMap applies fn to recs with one goroutine each and returns the
// results that arrived before ctx ended.
func ParallelMap(ctx context.Context, recs []record.Record, fn func(record.Record) record.Record) []record.Record {
	results := make(chan record.Record, len(recs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, r := range recs {
		go func() {
			results <- fn(r)
		}()
	}
	out := make([]record.Record, 0, len(recs))
	for range recs {
		select {
		case res := <-results:
			out = append(out, res)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// ParallelMapWait is ParallelMap that joins its workers before closing.
func ParallelMapWait(ctx context.Context, recs []record.Record, fn func(record.Record) record.Record) []record.Record {
	results := make(chan record.Record, len(recs))
	var wg sync.WaitGroup
	for _, r := range recs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ctx.Err() == nil {
				results <- fn(r)
			}
		}()
	}
	wg.Wait()
	close(results)
	out := make([]record.Record, 0, len(recs))
	for res := range results {
		out = append(out, res)
	}
	return out
}

// Merge fans several inputs into one output, closed after all inputs end.
func Merge(ctx context.Context, ins ...<-chan record.Record) <-chan record.Record {
	out := make(chan record.Record)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range in {
				select {
				case out <- r:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Limiter bounds the number of in-flight sink writes.
type Limiter chan struct{}

// Acquire takes a slot and returns the function that gives it back.
func (l Limiter) Acquire() func() {
	l <- struct{}{}
	return func() { <-l }
}

// Sink writes records through write with at most cap(lim) writes in flight.
type Sink struct {
	lim   Limiter
	write func(record.Record) error
	fails atomic.Int64
}

// NewSink returns a sink allowing n concurrent writes.
func NewSink(n int, write func(record.Record) error) *Sink {
	return &Sink{lim: make(Limiter, n), write: write}
}

// Consume drains in, writing each record.
func (s *Sink) Consume(in <-chan record.Record) {
	for r := range in {
		release := s.lim.Acquire()
		defer release() // HAZ defer-in-infinite-loop
		if err := s.write(r); err != nil {
			s.fails.Add(1)
		}
	}
}

// ConsumeBounded releases each slot in the iteration that took it.
func (s *Sink) ConsumeBounded(in <-chan record.Record) {
	for r := range in {
		func() {
			defer s.lim.Acquire()()
			if err := s.write(r); err != nil {
				s.fails.Add(1)
			}
		}()
	}
}

// Failures returns how many writes failed.
func (s *Sink) Failures() int64 { return s.fails.Load() }

// WindowOp aggregates records into a window store and publishes snapshots
// for the query API.
type WindowOp struct {
	store     *window.Store
	published atomic.Pointer[window.Snapshot]
	closed    func([]window.Closed)
}

// NewWindowOp returns an operator over store; closed receives closed windows.
func NewWindowOp(store *window.Store, closed func([]window.Closed)) *WindowOp {
	return &WindowOp{store: store, closed: closed}
}

// Process folds a batch into the store and publishes the new state.
func (op *WindowOp) Process(batch []record.Record) {
	defer op.store.Snapshot().StoreIn(&op.published) // HAZ defer-call-chain
	var maxTS time.Time
	for _, r := range batch {
		op.store.Add(r.Key, r.Timestamp, r.Value)
		if r.Timestamp.After(maxTS) {
			maxTS = r.Timestamp
		}
	}
	if !maxTS.IsZero() {
		if done := op.store.AdvanceWatermark(maxTS); len(done) > 0 && op.closed != nil {
			op.closed(done)
		}
	}
}

// ProcessPublished takes the snapshot at exit inside a closure.
func (op *WindowOp) ProcessPublished(batch []record.Record) {
	defer func() { op.store.Snapshot().StoreIn(&op.published) }()
	for _, r := range batch {
		op.store.Add(r.Key, r.Timestamp, r.Value)
	}
}

// Published returns the last published snapshot, or nil.
func (op *WindowOp) Published() *window.Snapshot {
	return op.published.Load()
}

// Pipeline owns the channels between a source and a graph and closes them in
// order on shutdown.
type Pipeline struct {
	src    chan record.Record
	out    <-chan record.Record
	errc   <-chan error
	n      int
	cancel context.CancelFunc
	once   sync.Once
}

// Start builds the source channel, runs g and returns the pipeline.
func Start(ctx context.Context, g *Graph, buf int) *Pipeline {
	ctx, cancel := context.WithCancel(ctx)
	src := make(chan record.Record, buf)
	out, errc := g.Run(ctx, src)
	return &Pipeline{src: src, out: out, errc: errc, n: len(g.stages), cancel: cancel}
}

// Offer enqueues r, applying backpressure: it fails instead of blocking when
// the source buffer is full.
func (p *Pipeline) Offer(r record.Record) bool {
	select {
	case p.src <- r:
		return true
	default:
		return false
	}
}

// Output returns the output of the last stage.
func (p *Pipeline) Output() <-chan record.Record { return p.out }

// Stop closes the source so every stage drains and closes its output in
// turn, then collects the stage errors.
func (p *Pipeline) Stop() error {
	var errs []error
	p.once.Do(func() {
		defer p.cancel()
		close(p.src)
		for range p.out {
		}
		for range p.n {
			if err := <-p.errc; err != nil && !errors.Is(err, context.Canceled) {
				errs = append(errs, err)
			}
		}
	})
	return errors.Join(errs...)
}

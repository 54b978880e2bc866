package processor

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"sync"

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/telemetry"
)

// Pipeline wires records through batching, sampling and rewriting.
type Pipeline struct {
	Batcher *Batcher
	Sampler *Sampler
	Attrs   *AttrRewriter

	batches chan pdata.Batch
	out     chan<- pdata.Batch

	wg     sync.WaitGroup
	panics *telemetry.Counter
	errc   chan error
}

// NewPipeline builds a pipeline from in to out.
func NewPipeline(in <-chan pdata.Record, out chan<- pdata.Batch, s *Sampler, a *AttrRewriter, reg *telemetry.Registry) *Pipeline {
	batches := make(chan pdata.Batch, 16)
	return &Pipeline{
		Batcher: NewBatcher(in, batches, reg),
		Sampler: s,
		Attrs:   a,
		batches: batches,
		out:     out,
		panics:  reg.Counter("pipeline_panics"),
		errc:    make(chan error, 4),
	}
}

// Errors reports stage failures.
func (p *Pipeline) Errors() <-chan error { return p.errc }

// report hands err to Errors without blocking.
func (p *Pipeline) report(err error) {
	select {
	case p.errc <- err:
	default:
		log.Printf("pipeline: %v (error channel full)", err)
	}
}

// recoverStage turns a panic in a stage goroutine into a reported error.
func (p *Pipeline) recoverStage(stage string) {
	if r := recover(); r != nil {
		p.panics.Inc()
		p.report(fmt.Errorf("pipeline: stage %s panicked: %v\n%s", stage, r, debug.Stack()))
	}
}

// Start launches the stage goroutines. Stage construction can panic on a
// bad plugin; that is turned into an error.
func (p *Pipeline) Start(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: start: %v", r)
		}
	}()
	if p.Sampler == nil || p.Attrs == nil {
		panic("pipeline: missing stage")
	}
	go p.Batcher.Run(ctx) // HAZ goroutine-outside-recover
	p.wg.Add(1)
	go p.processLoop(ctx)
	return nil
}

// StartIsolated is Start with every stage goroutine protected by its own
// recover.
func (p *Pipeline) StartIsolated(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: start: %v", r)
		}
	}()
	if p.Sampler == nil || p.Attrs == nil {
		panic("pipeline: missing stage")
	}
	p.wg.Add(2)
	go func() {
		defer p.wg.Done()
		defer p.recoverStage("batch") // ok: recovers in this goroutine
		if err := p.Batcher.Run(ctx); err != nil && ctx.Err() == nil {
			p.report(err)
		}
	}()
	go p.processLoop(ctx) // ok: processLoop defers recoverStage itself
	return nil
}

func (p *Pipeline) processLoop(ctx context.Context) {
	defer p.wg.Done()
	defer p.recoverStage("process")
	for {
		select {
		case <-ctx.Done():
			return
		case b, ok := <-p.batches:
			if !ok {
				return
			}
			b = p.Sampler.Filter(b)
			if b.Len() == 0 {
				continue
			}
			p.Attrs.ApplyBatch(&b)
			select {
			case p.out <- b:
			case <-ctx.Done():
				return
			}
		}
	}
}

// Wait blocks until the process stage has stopped.
func (p *Pipeline) Wait() { p.wg.Wait() }

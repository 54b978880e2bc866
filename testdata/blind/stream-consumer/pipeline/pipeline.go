// Package pipeline connects processing stages with channels. Each stage
// runs a fixed number of workers; items flow from the consumer's fetch
// channel through the stages to the output.
package pipeline

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"

	"example.com/consumer/broker"
)

// Item is what flows between stages.
type Item struct {
	Msg   broker.Message
	Value any
	Err   error
}

// Stage transforms one item. keep=false drops the item.
type Stage func(ctx context.Context, it Item) (out Item, keep bool, err error)

type namedStage struct {
	name    string
	workers int
	fn      Stage
}

// Pipeline is an ordered list of stages.
type Pipeline struct {
	stages  []namedStage
	log     *log.Logger
	dropped atomic.Int64
}

// New returns an empty pipeline.
func New(logger *log.Logger) *Pipeline {
	return &Pipeline{log: logger}
}

// Add appends a stage run by the given number of workers.
func (p *Pipeline) Add(name string, workers int, fn Stage) *Pipeline {
	if workers < 1 {
		workers = 1
	}
	p.stages = append(p.stages, namedStage{name: name, workers: workers, fn: fn})
	return p
}

// Dropped returns how many items the stages dropped.
func (p *Pipeline) Dropped() int64 { return p.dropped.Load() }

// Run connects the stages. The returned channel is closed once the input
// is drained or ctx ends.
func (p *Pipeline) Run(ctx context.Context, in <-chan broker.Message) <-chan Item {
	src := make(chan Item)
	go func() {
		defer close(src)
		for m := range in {
			select {
			case src <- Item{Msg: m}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var cur <-chan Item = src
	for _, st := range p.stages {
		cur = p.runStage(ctx, st, cur)
	}
	return cur
}

// runStage starts the workers of one stage and closes its output when
// they are all done.
func (p *Pipeline) runStage(ctx context.Context, st namedStage, in <-chan Item) <-chan Item {
	out := make(chan Item)
	var wg sync.WaitGroup
	for w := 0; w < st.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { p.recoverStage(st.name) }()
			for it := range in {
				res, keep, err := st.fn(ctx, it)
				if err != nil {
					res, keep = it, true
					res.Err = fmt.Errorf("%s: %w", st.name, err)
				}
				if !keep {
					p.dropped.Add(1)
					continue
				}
				select {
				case out <- res:
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

// recoverStage logs a panicking stage so that one poison message does not
// take the whole consumer down.
func (p *Pipeline) recoverStage(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		p.log.Printf("stage %s: recovered panic: %v", name, r)
	}
}

// Package pipeline moves changed items from sources (origin listings, the
// status-file watcher) to sinks (the store, replicas).
package pipeline

import (
	"context"
	"log"
	"sync"
)

// Item is one changed key.
type Item struct {
	Key  string
	Data []byte
}

// Source produces items until its context is done or it runs dry.
type Source interface {
	Name() string
	Items(ctx context.Context) <-chan Item
}

// Sink consumes items.
type Sink interface {
	Name() string
	Deliver(ctx context.Context, it Item) error
}

func forward(ctx context.Context, src Source, out chan<- Item) {
	for it := range src.Items(ctx) {
		select {
		case out <- it:
		case <-ctx.Done():
			return
		}
	}
}

// FanIn merges the primary source and the others into out and closes out
// when the primary source is exhausted. It is started as one of the
// sending goroutines: go FanIn(ctx, p, others, out).
func FanIn(ctx context.Context, primary Source, others []Source, out chan<- Item) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, src := range others {
		go forward(ctx, src, out)
	}
	forward(ctx, primary, out)
}

// FanInAll merges every source into out and closes out once all of the
// forwarding goroutines have returned.
func FanInAll(ctx context.Context, sources []Source, out chan<- Item) {
	defer close(out)
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func(src Source) {
			defer wg.Done()
			forward(ctx, src, out)
		}(src)
	}
	wg.Wait()
}

// Pipeline delivers items to a set of replica sinks; each item goes to
// whichever sink worker takes it first.
type Pipeline struct {
	sinks []Sink
	log   *log.Logger
	wg    sync.WaitGroup
}

// New returns a pipeline over sinks.
func New(lg *log.Logger, sinks ...Sink) *Pipeline {
	return &Pipeline{sinks: sinks, log: lg}
}

// StartWorkers starts one delivery goroutine per sink, all reading in.
func (p *Pipeline) StartWorkers(ctx context.Context, in <-chan Item) {
	for _, s := range p.sinks {
		p.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer p.wg.Done()
			for it := range in {
				if err := s.Deliver(ctx, it); err != nil {
					p.log.Printf("sink %s: %s: %v", s.Name(), it.Key, err)
				}
			}
		}()
		p.log.Printf("pipeline: started sink %s", s.Name())
	}
}

// Broadcast delivers every item of in to every sink, through one buffered
// channel per sink. The loop variable is copied before the goroutine
// captures it.
func (p *Pipeline) Broadcast(ctx context.Context, in <-chan Item) {
	chans := make([]chan Item, 0, len(p.sinks))
	for _, s := range p.sinks {
		s := s
		ch := make(chan Item, 16)
		chans = append(chans, ch)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			for it := range ch {
				if err := s.Deliver(ctx, it); err != nil {
					p.log.Printf("sink %s: %s: %v", s.Name(), it.Key, err)
				}
			}
		}()
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		defer func() {
			for _, ch := range chans {
				close(ch)
			}
		}()
		for it := range in {
			for _, ch := range chans {
				select {
				case ch <- it:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
}

// Wait blocks until every goroutine started by the pipeline has returned.
func (p *Pipeline) Wait() { p.wg.Wait() }

package fanout

import (
	"context"
	"sync"
)

// Emitter publishes values on a channel owned by its consumer.
type Emitter[T any] struct {
	out chan T
	wg  sync.WaitGroup
}

// NewEmitter returns an emitter whose channel holds up to buf values.
func NewEmitter[T any](buf int) *Emitter[T] {
	return &Emitter[T]{out: make(chan T, buf)}
}

// C is the channel consumers read from.
func (e *Emitter[T]) C() <-chan T { return e.out }

// send delivers one value unless ctx ends first.
func (e *Emitter[T]) send(ctx context.Context, v T) {
	select {
	case e.out <- v:
	case <-ctx.Done():
	}
}

// PublishAll emits every value concurrently and closes the channel.
func (e *Emitter[T]) PublishAll(ctx context.Context, vals []T) {
	defer close(e.out) // HAZ defer-close-chan-with-sender
	send := e.send
	for _, v := range vals {
		go send(ctx, v)
	}
}

// PublishAllWait emits every value concurrently and closes the channel once
// every sender is done.
func (e *Emitter[T]) PublishAllWait(ctx context.Context, vals []T) {
	defer close(e.out)
	for _, v := range vals {
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			e.send(ctx, v)
		}()
	}
	e.wg.Wait()
}

package fanout

import (
	"context"
	"fmt"
)

// Result carries a value or an error from an asynchronous call.
type Result[T any] struct {
	Val T
	Err error
}

// Async runs fn in its own goroutine. The channel has room for the single
// result, so the goroutine finishes even if nobody ever receives.
func Async[T any](fn func() (T, error)) <-chan Result[T] {
	ch := make(chan Result[T], 1)
	go func() {
		v, err := fn()
		ch <- Result[T]{v, err}
	}()
	return ch
}

// Await waits for the result of Async or for ctx.
func Await[T any](ctx context.Context, ch <-chan Result[T]) (T, error) {
	select {
	case r := <-ch:
		return r.Val, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Meta describes a stored object.
type Meta struct {
	Size        int64
	ContentType string
}

// Object is a body plus its metadata.
type Object struct {
	Meta Meta
	Body []byte
}

type metaResult struct {
	meta Meta
	err  error
}

// Prefetcher loads metadata and body of an object concurrently.
type Prefetcher struct {
	meta func(key string) (Meta, error)
	body func(ctx context.Context, key string) ([]byte, error)
}

// NewPrefetcher wires the two loaders.
func NewPrefetcher(meta func(string) (Meta, error), body func(context.Context, string) ([]byte, error)) *Prefetcher {
	return &Prefetcher{meta: meta, body: body}
}

// Get loads key; metadata is fetched while the body downloads.
func (p *Prefetcher) Get(ctx context.Context, key string) (Object, error) {
	metac := make(chan metaResult)
	go func() {
		m, err := p.meta(key)
		metac <- metaResult{m, err} // HAZ goroutine-blocked-send
	}()
	body, err := p.body(ctx, key)
	if err != nil {
		return Object{}, fmt.Errorf("get %s: %w", key, err)
	}
	mr := <-metac
	if mr.err != nil {
		return Object{}, fmt.Errorf("get %s meta: %w", key, mr.err)
	}
	return Object{Meta: mr.meta, Body: body}, nil
}

// GetBuffered is Get with room for the metadata result, so the early return
// does not strand the goroutine.
func (p *Prefetcher) GetBuffered(ctx context.Context, key string) (Object, error) {
	metac := make(chan metaResult, 1)
	go func() {
		m, err := p.meta(key)
		metac <- metaResult{m, err}
	}()
	body, err := p.body(ctx, key)
	if err != nil {
		return Object{}, fmt.Errorf("get %s: %w", key, err)
	}
	mr := <-metac
	if mr.err != nil {
		return Object{}, fmt.Errorf("get %s meta: %w", key, mr.err)
	}
	return Object{Meta: mr.meta, Body: body}, nil
}

// GetCancellable uses an unbuffered channel, but the sender also watches a
// context that is cancelled whenever Get returns.
func (p *Prefetcher) GetCancellable(ctx context.Context, key string) (Object, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	metac := make(chan metaResult)
	go func() {
		m, err := p.meta(key)
		select {
		case metac <- metaResult{m, err}:
		case <-ctx.Done():
		}
	}()
	body, err := p.body(ctx, key)
	if err != nil {
		return Object{}, fmt.Errorf("get %s: %w", key, err)
	}
	var mr metaResult
	select {
	case mr = <-metac:
	case <-ctx.Done():
		return Object{}, ctx.Err()
	}
	if mr.err != nil {
		return Object{}, fmt.Errorf("get %s meta: %w", key, mr.err)
	}
	return Object{Meta: mr.meta, Body: body}, nil
}

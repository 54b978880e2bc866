package blockedsend

import (
	"context"
	"errors"
	"time"
)

type tileResult struct {
	b   []byte
	err error
}

type origin struct {
	quit  chan struct{}
	cache map[string][]byte
}

func (o *origin) fetch(ctx context.Context, key string) ([]byte, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(10 * time.Millisecond):
		return []byte(key), nil
	}
}

// The sender's other case is the owner's quit channel: after a timeout, the goroutine waits
// until the whole origin shuts down.
func (o *origin) fresh(key string, wait time.Duration) ([]byte, error) {
	out := make(chan tileResult) // want `origin\.fresh makes out unbuffered, .* the goroutine blocks on the send until o\.quit is closed, which only the owner's shutdown does: one goroutine per call held until then`
	go func() {
		b, err := o.fetch(context.Background(), key)
		select {
		case out <- tileResult{b, err}:
		case <-o.quit:
		}
	}()
	select {
	case r := <-out:
		return r.b, r.err
	case <-time.After(wait):
		return nil, errors.New("timeout")
	}
}

// The parent gives up only when the owner shuts down, which the sender watches too.
func (o *origin) untilStopped(key string) ([]byte, error) {
	out := make(chan tileResult)
	go func() {
		b, err := o.fetch(context.Background(), key)
		select {
		case out <- tileResult{b, err}:
		case <-o.quit:
		}
	}()
	select {
	case r := <-out:
		return r.b, r.err
	case <-o.quit:
		return nil, errors.New("stopped")
	}
}

// A per-call context the parent cancels on return is a way out of the sender's own.
func (o *origin) freshCtx(key string, wait time.Duration) ([]byte, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan tileResult)
	go func() {
		b, err := o.fetch(ctx, key)
		select {
		case out <- tileResult{b, err}:
		case <-ctx.Done():
		}
	}()
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case r := <-out:
		return r.b, r.err
	case <-timer.C:
		return nil, errors.New("timeout")
	}
}

// A sender bounded by its own timer gives up by itself.
func (o *origin) freshTimed(key string, wait time.Duration) ([]byte, error) {
	out := make(chan tileResult)
	go func() {
		b, err := o.fetch(context.Background(), key)
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case out <- tileResult{b, err}:
		case <-t.C:
		}
	}()
	select {
	case r := <-out:
		return r.b, r.err
	case <-time.After(wait):
		return nil, errors.New("timeout")
	}
}

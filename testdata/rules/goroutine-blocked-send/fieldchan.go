package blockedsend

import (
	"context"
	"errors"
	"time"
)

type pendingCall struct {
	path string
	done chan reply
}

// The channel is a field of a local struct: the goroutine sends on cl.done, and the timeout case
// returns without receiving.
func callWithin(path string, d time.Duration) ([]byte, error) {
	cl := &pendingCall{path: path, done: make(chan reply)} // want `callWithin makes cl.done unbuffered, and the goroutine started on line \d+ sends its result on it`
	go func() {
		b, err := fetchPath(context.Background(), cl.path)
		cl.done <- reply{b, err}
	}()
	select {
	case r := <-cl.done:
		return r.body, r.err
	case <-time.After(d):
		return nil, errors.New("no answer")
	}
}

// With room for the late answer, the send completes.
func callWithinBuffered(path string, d time.Duration) ([]byte, error) {
	cl := &pendingCall{path: path, done: make(chan reply, 1)}
	go func() {
		b, err := fetchPath(context.Background(), cl.path)
		cl.done <- reply{b, err}
	}()
	select {
	case r := <-cl.done:
		return r.body, r.err
	case <-time.After(d):
		return nil, errors.New("no answer")
	}
}

var inflight = map[string]*pendingCall{}

// The struct is handed to a registry, whose reader may receive from it later.
func callRegistered(path string, d time.Duration) ([]byte, error) {
	cl := &pendingCall{path: path, done: make(chan reply)}
	inflight[path] = cl
	go func() {
		b, err := fetchPath(context.Background(), cl.path)
		cl.done <- reply{b, err}
	}()
	select {
	case r := <-cl.done:
		return r.body, r.err
	case <-time.After(d):
		return nil, errors.New("no answer")
	}
}

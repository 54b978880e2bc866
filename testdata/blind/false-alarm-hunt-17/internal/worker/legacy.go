//go:build go1.21

// This file is shared with the release-1.x branch, which is still built with
// Go 1.21: keep it free of newer language features and library calls.

package worker

import (
	"errors"
	"log/slog"
	"sync"
)

// Subscriber receives broadcast messages.
type Subscriber interface {
	Name() string
	Deliver(msg []byte) error
}

// ParallelMap applies fn to every element of in, running at most n calls at
// a time, and returns the results in input order.
func ParallelMap[T, R any](in []T, n int, fn func(T) R) []R {
	out := make([]R, len(in))
	sem := make(chan struct{}, max(n, 1))
	var wg sync.WaitGroup
	for i, v := range in {
		i, v := i, v
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			out[i] = fn(v)
		}()
	}
	wg.Wait()
	return out
}

// Broadcast delivers msg to every subscriber concurrently and joins the
// delivery errors.
func Broadcast(subs []Subscriber, msg []byte, logger *slog.Logger) error {
	errs := make([]error, len(subs))
	var wg sync.WaitGroup
	for i, s := range subs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = s.Deliver(msg)
		}()
		logger.Debug("delivery started", "subscriber", s.Name())
	}
	wg.Wait()
	return errors.Join(errs...)
}

// BroadcastEach is Broadcast with the loop variables passed as arguments.
func BroadcastEach(subs []Subscriber, msg []byte) error {
	errs := make([]error, len(subs))
	var wg sync.WaitGroup
	for i, s := range subs {
		wg.Add(1)
		go func(i int, s Subscriber) {
			defer wg.Done()
			errs[i] = s.Deliver(msg)
		}(i, s)
	}
	wg.Wait()
	return errors.Join(errs...)
}

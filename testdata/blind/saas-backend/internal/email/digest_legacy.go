//go:build go1.21

// This file predates the move to per-iteration loop variables and is still
// pinned to the old language version by its build constraint.

package email

import (
	"context"
	"errors"
	"sync"
)

// SendEach sends every message in its own batch, concurrently.
func SendEach(ctx context.Context, s Sender, msgs []Message) (int, error) {
	errs := make(chan error, len(msgs))
	var wg sync.WaitGroup
	queued := 0
	for _, m := range msgs {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- s.Send(ctx, []Message{m}) }() // HAZ loop-var-capture
		queued++
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		if err != nil {
			all = append(all, err)
		}
	}
	return queued, errors.Join(all...)
}

// SendDigests sends one digest per tenant, concurrently. The tenant and its
// messages are passed to the goroutine as arguments.
func SendDigests(ctx context.Context, s Sender, byTenant map[string][]Message) error {
	errs := make(chan error, len(byTenant))
	var wg sync.WaitGroup
	for tenant, msgs := range byTenant {
		wg.Add(1)
		go func(tenant string, msgs []Message) {
			defer wg.Done()
			digest := Message{Tenant: tenant, To: msgs[0].To, Subject: "Your daily digest"}
			for _, m := range msgs {
				digest.Body += "- " + m.Subject + "\n"
			}
			errs <- s.Send(ctx, []Message{digest})
		}(tenant, msgs)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// RetryFailed resends each message once, copying the loop variable first.
func RetryFailed(ctx context.Context, s Sender, failed []Message) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var all []error
	for _, m := range failed {
		m := m
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Send(ctx, []Message{m}); err != nil {
				mu.Lock()
				all = append(all, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return errors.Join(all...)
}

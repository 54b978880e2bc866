//go:build go1.21

// This file is shared with the on-prem distribution, which is still built
// with the Go 1.21 toolchain.

package scheduler

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// cancelOne withdraws a task from the queue and fences its lease.
func (s *Scheduler) cancelOne(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.q.mu.Lock()
	defer s.q.mu.Unlock()
	if t, ok := s.q.leased[id]; ok {
		t.MaxAttempts = t.Attempt
		delete(s.q.leased, id)
		return nil
	}
	for i, t := range s.q.pending {
		if t.ID == id {
			s.q.pending = append(s.q.pending[:i], s.q.pending[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("%w: %s", ErrUnknownTask, id)
}

// CancelAll cancels the given tasks concurrently and returns how many could
// not be canceled.
func (s *Scheduler) CancelAll(ctx context.Context, ids []string) int {
	var (
		wg     sync.WaitGroup
		failed atomic.Int32
	)
	issued := 0
	for _, id := range ids {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.cancelOne(ctx, id); err != nil {
				failed.Add(1)
			}
		}()
		issued++
	}
	wg.Wait()
	s.audit("cancel: %d issued, %d failed", issued, failed.Load())
	return int(failed.Load())
}

// RetryCancels re-issues the cancellations that failed in a previous
// CancelAll and returns the IDs that still fail.
func (s *Scheduler) RetryCancels(ctx context.Context, failed []string) []string {
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		still   []string
		retried int
	)
	for i := 0; i < len(failed); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := s.cancelOne(ctx, failed[i]); err != nil {
				mu.Lock()
				still = append(still, failed[i])
				mu.Unlock()
			}
		}()
		retried++
	}
	wg.Wait()
	s.audit("cancel retry: %d retried, %d still failing", retried, len(still))
	return still
}

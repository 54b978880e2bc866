package outsiderecover

import (
	"context"
	"fmt"
	"log"
	"time"
)

type retrier struct{ run func(string) error }

// The function given to time.AfterFunc runs later in a goroutine of its own: the deferred recover
// of scheduleRetry cannot stop its panics.
func (r *retrier) scheduleRetry(id string, d time.Duration) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("schedule %s: %v", id, v)
		}
	}()
	time.AfterFunc(d, func() { // want `scheduleRetry protects itself with a deferred recover \(line \d+\), but time\.AfterFunc on line \d+ runs its function later in a goroutine of its own`
		if err := r.run(id); err != nil {
			log.Printf("retry %s: %v", id, err)
		}
	})
	return nil
}

// The timer's function recovers by itself: no finding.
func (r *retrier) scheduleRetrySafe(id string, d time.Duration) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("schedule %s: %v", id, v)
		}
	}()
	time.AfterFunc(d, func() {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("retry %s: %v", id, v)
			}
		}()
		_ = r.run(id)
	})
	return nil
}

// context.AfterFunc too.
func (r *retrier) onCancel(ctx context.Context, id string) (stop func() bool) {
	defer func() {
		if v := recover(); v != nil {
			log.Printf("register %s: %v", id, v)
		}
	}()
	return context.AfterFunc(ctx, func() { _ = r.run(id) }) // want `but context\.AfterFunc on line \d+ runs its function later in a goroutine of its own`
}

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

// goSafe runs fn on its own goroutine and logs a panic instead of crashing.
func (r *retrier) goSafe(fn func()) {
	go func() {
		defer func() {
			if v := recover(); v != nil {
				log.Printf("background panic: %v", v)
			}
		}()
		fn()
	}()
}

// spawn runs fn on its own goroutine, as it is.
func spawn(fn func()) {
	go fn()
}

// Started through the helper that recovers: protected. No finding.
func (r *retrier) retryInBackground(id string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("retry %s: %v", id, v)
		}
	}()
	r.goSafe(func() { _ = r.run(id) })
	return nil
}

// Started through the plain helper: the goroutine has no recover.
func (r *retrier) retryUnprotected(id string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("retry %s: %v", id, v)
		}
	}()
	spawn(func() { _ = r.run(id) }) // want `retrier\.retryUnprotected protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
	return nil
}

package fanout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Fetcher loads a document by key.
type Fetcher interface {
	Fetch(ctx context.Context, key string) ([]byte, error)
}

type fetchResult struct {
	body []byte
	err  error
}

// FetchWithTimeout gives up after d; the one sender has a slot in the buffer.
func FetchWithTimeout(ctx context.Context, f Fetcher, key string, d time.Duration) ([]byte, error) {
	ch := make(chan fetchResult, 1)
	go func() { // ok: buffered for the single send
		b, err := f.Fetch(ctx, key)
		ch <- fetchResult{b, err}
	}()
	select {
	case r := <-ch:
		return r.body, r.err
	case <-time.After(d):
		return nil, fmt.Errorf("fetch %s: timed out after %v", key, d)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// FirstOf asks every replica and returns the first answer; the buffer holds
// one slot per replica, so the losers never block.
func FirstOf(ctx context.Context, replicas []Fetcher, key string) ([]byte, error) {
	if len(replicas) == 0 {
		return nil, errors.New("no replicas")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan fetchResult, len(replicas))
	for _, r := range replicas {
		go func() {
			b, err := r.Fetch(ctx, key)
			ch <- fetchResult{b, err}
		}()
	}
	var errs []error
	for range replicas {
		select {
		case res := <-ch:
			if res.err == nil {
				return res.body, nil
			}
			errs = append(errs, res.err)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return nil, errors.Join(errs...)
}

// Race runs two lookups; each sender gives up when the parent is gone.
func Race(ctx context.Context, a, b Fetcher, key string) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := make(chan fetchResult)
	for _, f := range []Fetcher{a, b} {
		go func() {
			body, err := f.Fetch(ctx, key)
			select {
			case ch <- fetchResult{body, err}:
			case <-ctx.Done(): // ok: the deferred cancel releases a sender nobody waits for
			}
		}()
	}
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Lookup validates before it starts the goroutine; the early return happens
// while no sender exists.
func Lookup(ctx context.Context, f Fetcher, key string) ([]byte, error) {
	if key == "" {
		return nil, errors.New("empty key")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ch := make(chan fetchResult)
	go func() {
		b, err := f.Fetch(ctx, key)
		ch <- fetchResult{b, err}
	}()
	r := <-ch // ok: the only path after the go statement receives
	return r.body, r.err
}

// Compute runs fn on another goroutine to get a fresh stack and always waits.
func Compute(fn func() (int, error)) (int, error) {
	type out struct {
		n   int
		err error
	}
	ch := make(chan out)
	go func() {
		n, err := fn()
		ch <- out{n, err}
	}()
	o := <-ch
	if o.err != nil {
		return 0, fmt.Errorf("compute: %w", o.err)
	}
	return o.n, nil
}

// Stream yields documents until done is closed; the sender selects on done.
func Stream(f Fetcher, keys []string, done <-chan struct{}) <-chan []byte {
	out := make(chan []byte)
	go func() {
		defer close(out)
		for _, k := range keys {
			b, err := f.Fetch(context.Background(), k)
			if err != nil {
				continue
			}
			select {
			case out <- b:
			case <-done:
				return
			}
		}
	}()
	return out
}

// Collect drains a stream fully, so the producer always finishes.
func Collect(f Fetcher, keys []string) [][]byte {
	done := make(chan struct{})
	defer close(done)
	var all [][]byte
	for b := range Stream(f, keys, done) {
		all = append(all, b)
	}
	return all
}

// FirstMatch stops reading early; the producer sees done closed by the defer.
func FirstMatch(f Fetcher, keys []string, match func([]byte) bool) []byte {
	done := make(chan struct{})
	defer close(done) // ok: the producer receives on done and never sends on it
	for b := range Stream(f, keys, done) {
		if match(b) {
			return b
		}
	}
	return nil
}

// Publish tries to hand an event to the audit goroutine without waiting.
func Publish(events chan<- string, ev string) bool {
	select {
	case events <- ev:
		return true
	default:
		return false
	}
}

// Timed runs fn with a deadline; on timeout it waits for fn to notice the
// cancelled context, so the goroutine is never abandoned.
func Timed(ctx context.Context, d time.Duration, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	errc := make(chan error)
	go func() { errc <- fn(ctx) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		<-errc // ok: waits for the sender before returning
		return ctx.Err()
	}
}

// Both runs two steps concurrently and returns the first error; errc has a
// slot per step.
func Both(ctx context.Context, a, b func(context.Context) error) error {
	errc := make(chan error, 2)
	go func() { errc <- a(ctx) }()
	go func() { errc <- b(ctx) }()
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// StatusHandler reports the health of a dependency with a one-second budget.
func StatusHandler(dep Fetcher) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ch := make(chan error, 1)
		go func() { // ok: one buffered slot for one send
			_, err := dep.Fetch(r.Context(), "health")
			ch <- err
		}()
		select {
		case err := <-ch:
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		case <-time.After(time.Second):
			http.Error(w, "dependency timeout", http.StatusGatewayTimeout)
		}
	}
}

// ProfileHandler renders a profile from two backends.
func ProfileHandler(users, prefs Fetcher) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		uc := make(chan fetchResult)
		pc := make(chan fetchResult)
		go func() {
			b, err := users.Fetch(r.Context(), id)
			uc <- fetchResult{b, err}
		}()
		go func() { // HAZ goroutine-blocked-send
			b, err := prefs.Fetch(r.Context(), id)
			pc <- fetchResult{b, err}
		}()
		u := <-uc
		if u.err != nil {
			http.Error(w, u.err.Error(), http.StatusNotFound)
			return
		}
		p := <-pc
		_ = json.NewEncoder(w).Encode(map[string]json.RawMessage{"user": u.body, "prefs": p.body})
	}
}

// Quote asks the pricing backend and gives up at the context deadline.
func Quote(ctx context.Context, f Fetcher, sku string) ([]byte, error) {
	ch := make(chan fetchResult)
	go func() { // HAZ goroutine-blocked-send
		b, err := f.Fetch(context.Background(), sku)
		ch <- fetchResult{b, err}
	}()
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

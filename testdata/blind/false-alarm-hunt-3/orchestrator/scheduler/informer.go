package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// WatchEvent is a change notification from the API server.
type WatchEvent struct {
	Type string // ADDED, MODIFIED, DELETED
	Key  string
	Rev  int64
}

// Lister lists objects at a revision.
type Lister interface {
	List(ctx context.Context) ([]string, int64, error)
	Watch(ctx context.Context, fromRev int64) (<-chan WatchEvent, error)
}

// Informer mirrors a resource into a local store and calls handlers.
type Informer struct {
	src      Lister
	mu       sync.RWMutex
	store    map[string]int64
	handlers []func(WatchEvent)
	synced   bool
}

// NewInformer returns an informer over src.
func NewInformer(src Lister) *Informer {
	return &Informer{src: src, store: map[string]int64{}}
}

// AddHandler registers a handler. Handlers are called without any lock held.
func (in *Informer) AddHandler(h func(WatchEvent)) {
	in.mu.Lock()
	in.handlers = append(in.handlers, h)
	in.mu.Unlock()
}

// HasSynced reports whether the initial list completed.
func (in *Informer) HasSynced() bool {
	in.mu.RLock()
	defer in.mu.RUnlock()
	return in.synced
}

// Get returns the revision of key.
func (in *Informer) Get(key string) (int64, bool) {
	in.mu.RLock()
	defer in.mu.RUnlock()
	rev, ok := in.store[key]
	return rev, ok
}

// apply updates the store and returns the handlers to call. It copies the
// handler slice under the lock so dispatch happens unlocked.
func (in *Informer) apply(ev WatchEvent) []func(WatchEvent) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if ev.Type == "DELETED" {
		delete(in.store, ev.Key)
	} else {
		in.store[ev.Key] = ev.Rev
	}
	return append(([]func(WatchEvent))(nil), in.handlers...)
}

// Run lists, then watches until ctx ends, relisting on watch errors.
func (in *Informer) Run(ctx context.Context) error {
	for {
		rev, err := in.relist(ctx)
		if err != nil {
			return err
		}
		if err := in.watch(ctx, rev); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			log.Printf("informer: watch ended: %v; relisting", err)
		}
	}
}

func (in *Informer) relist(ctx context.Context) (int64, error) {
	keys, rev, err := in.src.List(ctx)
	if err != nil {
		return 0, err
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	in.store = make(map[string]int64, len(keys))
	for _, k := range keys {
		in.store[k] = rev
	}
	in.synced = true
	return rev, nil
}

var errWatchClosed = errors.New("watch channel closed")

func (in *Informer) watch(ctx context.Context, rev int64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := in.src.Watch(ctx, rev)
	if err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				return errWatchClosed
			}
			for _, h := range in.apply(ev) {
				h(ev)
			}
		}
	}
}

// fakeSource is an in-memory Lister used by tests and the dry-run mode.
type fakeSource struct {
	mu     sync.Mutex
	keys   []string
	rev    int64
	events []WatchEvent
}

func (f *fakeSource) List(ctx context.Context) ([]string, int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.keys...), f.rev, nil
}

// Watch streams the queued events on a channel the producer goroutine owns
// and closes; sends also watch ctx so an abandoned watch does not leak.
func (f *fakeSource) Watch(ctx context.Context, fromRev int64) (<-chan WatchEvent, error) {
	f.mu.Lock()
	evs := append([]WatchEvent(nil), f.events...)
	f.mu.Unlock()

	out := make(chan WatchEvent)
	go func() {
		defer close(out) // ok: the producer goroutine is the only sender
		for _, ev := range evs {
			if ev.Rev <= fromRev {
				continue
			}
			select {
			case out <- ev:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}

// Merge fans several watch streams into one; the output is closed after all
// forwarders are done.
func Merge(ctx context.Context, ins ...<-chan WatchEvent) <-chan WatchEvent {
	out := make(chan WatchEvent)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range in {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out) // ok: after every forwarder returned
	}()
	return out
}

// Collect gathers events from several streams into a slice. The channel is
// closed only after every forwarder has finished.
func Collect(ctx context.Context, ins ...<-chan WatchEvent) []WatchEvent {
	ch := make(chan WatchEvent)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ev := range in {
				select {
				case ch <- ev:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(ch) }()
	var out []WatchEvent
	for ev := range ch {
		out = append(out, ev)
	}
	return out
}

// FirstSynced waits until any of the informers has synced or the timeout
// passes. The probes report on a channel buffered for all of them, and the
// channel is not closed by us.
func FirstSynced(ctx context.Context, timeout time.Duration, ins ...*Informer) (*Informer, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	found := make(chan *Informer, len(ins)) // ok: every prober can send once without a reader
	for _, in := range ins {
		go func() {
			t := time.NewTicker(10 * time.Millisecond)
			defer t.Stop()
			for {
				if in.HasSynced() {
					found <- in
					return
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	select {
	case in := <-found:
		return in, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("no informer synced: %w", ctx.Err())
	}
}

// ProbeAll asks every informer for key in parallel and returns the highest
// revision seen before the deadline.
func ProbeAll(ctx context.Context, key string, ins ...*Informer) int64 {
	revs := make(chan int64, len(ins))
	defer close(revs) // HAZ defer-close-chan-with-sender
	for _, in := range ins {
		go func() {
			if rev, ok := in.Get(key); ok {
				revs <- rev
			}
		}()
	}
	var best int64
	for {
		select {
		case r := <-revs:
			if r > best {
				best = r
			}
		case <-ctx.Done():
			return best
		}
	}
}

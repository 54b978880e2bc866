package pump

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// Loader fetches the value stored under a key.
type Loader func(key string) ([]byte, error)

// lease is a claim on shared capacity that must be handed back.
type lease struct {
	id       int
	released bool
}

func (l *lease) Release() error {
	if l.released {
		return fmt.Errorf("pump: lease %d released twice", l.id)
	}
	l.released = true
	return nil
}

// Batcher runs loads and jobs concurrently on behalf of the pump.
type Batcher struct {
	load    Loader
	logf    func(string, ...any)
	lease   *lease
	pending [][]byte
	flushed int
}

// NewBatcher returns a batcher using load.
func NewBatcher(load Loader) *Batcher {
	return &Batcher{load: load, logf: log.Printf, lease: &lease{id: 1}}
}

// Fetch loads every key concurrently and returns the values that loaded.
func (b *Batcher) Fetch(keys []string) map[string][]byte {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string][]byte, len(keys))
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			done := wg.Done
			defer done()
			v, err := b.load(k)
			if err != nil {
				b.logf("pump: load %s: %v", k, err)
				return
			}
			mu.Lock()
			out[k] = v
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

// FetchAll is Fetch with the worker body in a method that defers Done.
func (b *Batcher) FetchAll(keys []string) map[string][]byte {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string][]byte, len(keys))
	)
	for _, k := range keys {
		wg.Add(1)
		go b.fetchOne(&wg, &mu, out, k)
	}
	wg.Wait()
	return out
}

func (b *Batcher) fetchOne(wg *sync.WaitGroup, mu *sync.Mutex, out map[string][]byte, k string) {
	defer wg.Done()
	v, err := b.load(k)
	if err != nil {
		b.logf("pump: load %s: %v", k, err)
		return
	}
	mu.Lock()
	defer mu.Unlock()
	out[k] = v
}

// Workers runs n workers over jobs until jobs is closed or ctx ends.
func (b *Batcher) Workers(ctx context.Context, jobs <-chan string, n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case k, ok := <-jobs:
					if !ok {
						wg.Done() // HAZ waitgroup-done-path
						return
					}
					if _, err := b.load(k); err != nil {
						b.logf("pump: job %s: %v", k, err)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// WorkersCtx is Workers with Done deferred at the top of each goroutine.
func (b *Batcher) WorkersCtx(ctx context.Context, jobs <-chan string, n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case k, ok := <-jobs:
					if !ok {
						return
					}
					if _, err := b.load(k); err != nil {
						b.logf("pump: job %s: %v", k, err)
					}
				}
			}
		}()
	}
	wg.Wait()
}

func (b *Batcher) writeOut() error {
	if len(b.pending) == 0 {
		return errors.New("pump: nothing to flush")
	}
	b.flushed += len(b.pending)
	b.pending = b.pending[:0]
	return nil
}

// Flush writes the pending batch and hands the lease back; a failed release
// is meant to be reported to the caller.
func (b *Batcher) Flush() error {
	err := b.writeOut()
	defer func() { // HAZ defer-ineffective-return
		if rerr := b.lease.Release(); rerr != nil {
			err = rerr
		}
	}()
	return err
}

// FlushLease is Flush with a named result, so the deferred assignment lands.
func (b *Batcher) FlushLease() (err error) {
	err = b.writeOut()
	defer func() {
		if rerr := b.lease.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return err
}

// Abort drops the pending batch and gives the lease back, meaning to report
// a failed release.
func (b *Batcher) Abort() error {
	b.pending = b.pending[:0]
	defer func() error { // HAZ defer-ineffective-return
		return b.lease.Release()
	}()
	return nil
}

// AbortLease is Abort returning the release error directly.
func (b *Batcher) AbortLease() error {
	b.pending = b.pending[:0]
	return b.lease.Release()
}

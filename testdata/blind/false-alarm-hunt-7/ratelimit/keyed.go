package ratelimit

import (
	"context"
	"sync"
	"time"
)

type keyedEntry struct {
	b    *Bucket
	seen time.Time
}

// Keyed holds one bucket per key (client IP, API token) and forgets keys
// that have been idle for longer than IdleTTL.
type Keyed struct {
	mu      sync.RWMutex
	buckets map[string]*keyedEntry
	rate    float64
	burst   int
	idleTTL time.Duration
	now     func() time.Time
}

// NewKeyed returns a per-key limiter.
func NewKeyed(rate float64, burst int, idleTTL time.Duration) *Keyed {
	return &Keyed{
		buckets: make(map[string]*keyedEntry),
		rate:    rate,
		burst:   burst,
		idleTTL: idleTTL,
		now:     time.Now,
	}
}

// bucket returns the bucket for key, creating it on first use. The read
// lock is released before the write lock is taken.
func (k *Keyed) bucket(key string) *Bucket {
	k.mu.RLock()
	e, ok := k.buckets[key]
	k.mu.RUnlock()
	if ok {
		return e.b
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, ok := k.buckets[key]; ok {
		return e.b
	}
	e = &keyedEntry{b: NewBucket(k.rate, k.burst), seen: k.now()}
	k.buckets[key] = e
	return e.b
}

func (k *Keyed) touch(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, ok := k.buckets[key]; ok {
		e.seen = k.now()
	}
}

// Allow takes a token from key's bucket.
func (k *Keyed) Allow(key string) bool {
	b := k.bucket(key)
	k.touch(key)
	return b.Allow()
}

// Wait waits for a token from key's bucket.
func (k *Keyed) Wait(ctx context.Context, key string) error {
	b := k.bucket(key)
	k.touch(key)
	return b.Wait(ctx, 1)
}

// Forget drops idle keys and returns how many were dropped.
func (k *Keyed) Forget() int {
	cut := k.now().Add(-k.idleTTL)
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for key, e := range k.buckets {
		if e.seen.Before(cut) {
			delete(k.buckets, key)
			n++
		}
	}
	return n
}

// Size returns the number of tracked keys.
func (k *Keyed) Size() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.buckets)
}

// RunJanitor forgets idle keys every interval until ctx ends. The ticker is
// stopped on every exit path; the defer sits before the loop, not in it.
func (k *Keyed) RunJanitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			k.Forget()
		}
	}
}

// SetAll changes the rate of every existing bucket and of future ones.
// The map is copied under the read lock, then each bucket is updated with
// only its own lock held.
func (k *Keyed) SetAll(rate float64) {
	k.mu.Lock()
	k.rate = rate
	bs := make([]*Bucket, 0, len(k.buckets))
	for _, e := range k.buckets {
		bs = append(bs, e.b)
	}
	k.mu.Unlock()
	for _, b := range bs {
		b.SetRate(rate)
	}
}

package ratelimit

import "sync"

// Keyed holds one bucket per client key, up to maxKeys; clients beyond that
// share an overflow bucket.
type Keyed struct {
	mu       sync.RWMutex
	buckets  map[string]*Bucket
	capacity int
	rate     float64
	maxKeys  int
	overflow *Bucket
}

// NewKeyed returns an empty keyed limiter.
func NewKeyed(capacity int, perSecond float64, maxKeys int) *Keyed {
	return &Keyed{
		buckets:  make(map[string]*Bucket),
		capacity: capacity,
		rate:     perSecond,
		maxKeys:  maxKeys,
		overflow: NewBucket(capacity, perSecond),
	}
}

// Bucket returns the bucket for key, creating it on first use.
func (k *Keyed) Bucket(key string) *Bucket {
	k.mu.RLock()
	b, ok := k.buckets[key]
	k.mu.RUnlock()
	if ok {
		return b
	}

	k.mu.Lock() // HAZ lock-leaked-on-return
	if b, ok := k.buckets[key]; ok {
		k.mu.Unlock()
		return b
	}
	if len(k.buckets) >= k.maxKeys {
		return k.overflow
	}
	b = NewBucket(k.capacity, k.rate)
	k.buckets[key] = b
	k.mu.Unlock()
	return b
}

// Sweep forgets clients whose bucket has refilled completely. Each bucket has
// its own mutex, so asking a bucket while holding k.mu is safe.
func (k *Keyed) Sweep() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	n := 0
	for key, b := range k.buckets {
		if b.Full() {
			delete(k.buckets, key)
			n++
		}
	}
	return n
}

// Len is the number of tracked clients.
func (k *Keyed) Len() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return len(k.buckets)
}

// Refill tops up the buckets of the given clients, for support staff
// un-throttling a customer.
func (k *Keyed) Refill(keys []string) {
	for _, key := range keys {
		b := k.Bucket(key)
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		b.tokens = b.capacity
		b.last = b.now()
	}
}

// RefillAll tops up every tracked bucket, one bucket lock at a time.
func (k *Keyed) RefillAll() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	for _, b := range k.buckets {
		func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			b.tokens = b.capacity
			b.last = b.now()
		}()
	}
	return len(k.buckets)
}

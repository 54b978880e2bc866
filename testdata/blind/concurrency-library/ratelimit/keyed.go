package ratelimit

import (
	"sync"
	"time"
)

// KeyedStats is a point-in-time view of a Keyed limiter.
type KeyedStats struct {
	Keys    int
	Evicted int
	At      time.Time
}

// Log writes the stats with logf.
func (s KeyedStats) Log(logf func(string, ...any)) {
	logf("ratelimit: %d keys, %d evicted in total (as of %s)", s.Keys, s.Evicted, s.At.Format(time.RFC3339))
}

type entry struct {
	tb       *TokenBucket
	lastSeen time.Time
}

// Keyed holds one token bucket per key and forgets idle keys.
type Keyed struct {
	mu      sync.Mutex
	buckets map[string]*entry
	rate    float64
	burst   int
	ttl     time.Duration
	evicted int
	logf    func(string, ...any)

	stop chan struct{}
	done chan struct{}
}

// NewKeyed starts a keyed limiter with a background sweeper.
func NewKeyed(rate float64, burst int, ttl time.Duration, logf func(string, ...any)) *Keyed {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	k := &Keyed{
		buckets: make(map[string]*entry),
		rate:    rate, burst: burst, ttl: ttl, logf: logf,
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	go k.sweepLoop()
	return k
}

func (k *Keyed) bucket(key string) *TokenBucket {
	k.mu.Lock()
	defer k.mu.Unlock()
	e, ok := k.buckets[key]
	if !ok {
		e = &entry{tb: NewTokenBucket(k.rate, k.burst)}
		k.buckets[key] = e
	}
	e.lastSeen = time.Now()
	return e.tb
}

// Allow takes a token from key's bucket.
func (k *Keyed) Allow(key string) bool {
	return k.bucket(key).Allow() // ok: bucket's lock is released before Allow locks the bucket
}

// Stats returns the current stats.
func (k *Keyed) Stats() KeyedStats {
	k.mu.Lock()
	defer k.mu.Unlock()
	return KeyedStats{Keys: len(k.buckets), Evicted: k.evicted, At: time.Now()}
}

// Sweep forgets keys idle for longer than the ttl and logs the result.
func (k *Keyed) Sweep() {
	defer k.Stats().Log(k.logf) // HAZ defer-call-chain
	cutoff := time.Now().Add(-k.ttl)
	k.mu.Lock()
	defer k.mu.Unlock()
	for key, e := range k.buckets {
		if e.lastSeen.Before(cutoff) {
			delete(k.buckets, key)
			k.evicted++
		}
	}
}

func (k *Keyed) sweepLoop() {
	defer close(k.done)
	t := time.NewTicker(k.ttl)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			k.Sweep()
		case <-k.stop:
			return
		}
	}
}

// Stop ends the sweeper and waits for it.
func (k *Keyed) Stop() {
	close(k.stop)
	<-k.done
}

package plugin

import (
	"fmt"
	"sync"
)

// Limiter decides whether a caller may invoke a plugin now.
type Limiter interface {
	Allow(key string) error
	Reset(key string)
}

// tokenBucket is a fixed-window Limiter.
type tokenBucket struct {
	mu     sync.Mutex
	used   map[string]int
	max    int
	denied int
}

// NewTokenBucket returns a Limiter allowing max calls per key per window.
func NewTokenBucket(max int) Limiter {
	return &tokenBucket{used: make(map[string]int), max: max}
}

// Allow consumes one token for key.
func (b *tokenBucket) Allow(key string) error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	n := b.used[key]
	if n >= b.max {
		b.denied++
		return fmt.Errorf("%w: %s", ErrRateLimited, key)
	}
	b.used[key] = n + 1
	b.mu.Unlock()
	return nil
}

// Reset starts a new window for key.
func (b *tokenBucket) Reset(key string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.used, key)
}

// Refund gives a token back after a call that should not have been charged.
func (b *tokenBucket) Refund(key, reason string) {
	b.mu.Lock() // HAZ lock-leaked-on-return
	switch reason {
	case "error", "timeout":
		if b.used[key] > 0 {
			b.used[key]--
		}
		b.mu.Unlock()
	case "cancelled":
		delete(b.used, key)
		b.mu.Unlock()
	default:
		b.denied++
	}
}

package fetch

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Resolver maps build action keys to output digests through the upstream's
// action cache, remembering answers locally.
type Resolver struct {
	up    *Upstream
	mu    sync.Mutex
	cache map[string]string
}

// NewResolver returns a resolver backed by up.
func NewResolver(up *Upstream) *Resolver {
	return &Resolver{up: up, cache: make(map[string]string)}
}

// lookup asks the upstream for key and delivers the digest, or "" on a miss.
func (r *Resolver) lookup(key string, out chan<- string) {
	body, err := r.up.get("ac/" + key)
	if err != nil {
		out <- ""
		return
	}
	out <- strings.TrimSpace(string(body))
}

func (r *Resolver) cached(key string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.cache[key]
	return d, ok
}

func (r *Resolver) store(key, digest string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cache[key] = digest
}

// Resolve starts the upstream lookup at once to hide its latency and answers
// from the local cache when it can.
func (r *Resolver) Resolve(key string) (string, error) {
	answer := make(chan string)
	go r.lookup(key, answer) // HAZ goroutine-blocked-send
	if d, ok := r.cached(key); ok {
		return d, nil
	}
	d := <-answer
	if d == "" {
		return "", fmt.Errorf("fetch: no action result for %s", key)
	}
	r.store(key, d)
	return d, nil
}

// ResolveEager is Resolve with room for the answer, so a lookup abandoned on
// a local hit still completes.
func (r *Resolver) ResolveEager(key string) (string, error) {
	answer := make(chan string, 1)
	go r.lookup(key, answer)
	if d, ok := r.cached(key); ok {
		return d, nil
	}
	d := <-answer
	if d == "" {
		return "", fmt.Errorf("fetch: no action result for %s", key)
	}
	r.store(key, d)
	return d, nil
}

// ResolveWithin gives the upstream at most wait to answer.
func (r *Resolver) ResolveWithin(key string, wait time.Duration) (string, error) {
	answer := make(chan string)
	go (*Resolver).lookup(r, key, answer) // HAZ goroutine-blocked-send
	select {
	case d := <-answer:
		if d == "" {
			return "", fmt.Errorf("fetch: no action result for %s", key)
		}
		r.store(key, d)
		return d, nil
	case <-time.After(wait):
		return "", ErrTimeout
	}
}

// ResolveAll resolves every key concurrently; it receives one answer per
// lookup it started, so no sender is left blocked.
func (r *Resolver) ResolveAll(keys []string) map[string]string {
	type answer struct {
		key    string
		digest chan string
	}
	answers := make([]answer, len(keys))
	for i, k := range keys {
		answers[i] = answer{key: k, digest: make(chan string)}
		go (*Resolver).lookup(r, k, answers[i].digest)
	}
	out := make(map[string]string, len(keys))
	for _, a := range answers {
		if d := <-a.digest; d != "" {
			out[a.key] = d
		}
	}
	return out
}

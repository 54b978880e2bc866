package auth

import (
	"context"
	"sort"
	"sync"
)

// Cache stores tokens per scope.
type Cache struct {
	mu      sync.RWMutex
	entries map[string]*Token
	hits    int
	misses  int
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{entries: make(map[string]*Token)}
}

// Get returns a valid token for scope.
func (c *Cache) Get(scope string) (*Token, bool) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if tok, ok := c.entries[scope]; ok && tok.Valid() {
		c.hits++
		return tok, true
	}
	c.misses++
	c.mu.Unlock()
	return nil, false
}

// Peek returns the stored token for scope, valid or not.
func (c *Cache) Peek(scope string) (*Token, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	tok, ok := c.entries[scope]
	return tok, ok
}

// Put stores tok for scope.
func (c *Cache) Put(scope string, tok *Token) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[scope] = tok
}

// Len returns the number of cached scopes.
func (c *Cache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// CacheStats summarises cache use.
type CacheStats struct {
	Hits, Misses, Size int
}

// Stats returns the cache statistics.
func (c *Cache) Stats() CacheStats {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return CacheStats{
		Hits:   c.hits,
		Misses: c.misses,
		Size:   c.Len(), // HAZ lock-reentry-under-defer
	}
}

func sortedKeys(m map[string]*Token) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Scopes lists cached scopes in order.
func (c *Cache) Scopes() []string {
	c.mu.RLock()
	defer c.mu.RUnlock() // ok: sortedKeys does not lock
	return sortedKeys(c.entries)
}

// EvictExpired removes invalid tokens and returns how many were removed.
func (c *Cache) EvictExpired() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, tok := range c.entries {
		if !tok.Valid() {
			delete(c.entries, k)
			n++
		}
	}
	return n
}

// ScopedSource fetches tokens per scope through a cache.
type ScopedSource struct {
	Cache *Cache
	Fetch func(ctx context.Context, scope string) (*Token, error)
}

// Token returns a token for scope.
func (s *ScopedSource) Token(ctx context.Context, scope string) (*Token, error) {
	if tok, ok := s.Cache.Peek(scope); ok && tok.Valid() {
		return tok, nil
	}
	tok, err := s.Fetch(ctx, scope)
	if err != nil {
		return nil, err
	}
	s.Cache.Put(scope, tok)
	return tok, nil
}

package repo

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// ErrNotCached is returned by Evict for a query that was never prepared.
var ErrNotCached = errors.New("repo: statement not cached")

// StmtCache prepares each query once per pool and hands out the statement.
type StmtCache struct {
	db     *sql.DB
	mu     sync.RWMutex
	stmts  map[string]*sql.Stmt
	hits   int
	misses int
}

// NewStmtCache returns an empty cache over db.
func NewStmtCache(db *sql.DB) *StmtCache {
	return &StmtCache{db: db, stmts: make(map[string]*sql.Stmt)}
}

// Prepare returns the cached statement for query, preparing it on first use.
func (c *StmtCache) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.RLock()
	s, ok := c.stmts[query]
	c.mu.RUnlock()
	if ok {
		c.mu.Lock()
		c.hits++
		c.mu.Unlock()
		return s, nil
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[query]; ok {
		c.hits++
		return s, nil
	}
	s, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.misses++
	c.stmts[query] = s
	return s, nil
}

// Cached returns the statement for query if it was prepared, else nil.
func (c *StmtCache) Cached(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.stmts[query]
}

// Lookup is Cached with an explicit found flag.
func (c *StmtCache) Lookup(query string) (*sql.Stmt, bool) {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	s, ok := c.stmts[query]
	return s, ok
}

// Len returns the number of cached statements.
func (c *StmtCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.stmts)
}

// Stats returns hit and miss counters and the cache size.
func (c *StmtCache) Stats() (hits, misses, size int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits, c.misses, c.Len() // HAZ lock-reentry-under-defer
}

// Snapshot returns the same numbers as Stats, reading the size under the
// lock it already holds.
func (c *StmtCache) Snapshot() (hits, misses, size int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.hits, c.misses, len(c.stmts)
}

// Evict closes and forgets the statement for query.
func (c *StmtCache) Evict(query string) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	s, ok := c.stmts[query]
	if !ok {
		return ErrNotCached
	}
	delete(c.stmts, query)
	c.mu.Unlock()
	return s.Close()
}

// Forget drops the statement for query, unlocking on both paths.
func (c *StmtCache) Forget(query string) error {
	c.mu.Lock()
	s, ok := c.stmts[query]
	if !ok {
		c.mu.Unlock()
		return ErrNotCached
	}
	delete(c.stmts, query)
	c.mu.Unlock()
	return s.Close()
}

// Close closes every cached statement.
func (c *StmtCache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, s := range c.stmts {
		errs = append(errs, s.Close())
		delete(c.stmts, q)
	}
	return errors.Join(errs...)
}

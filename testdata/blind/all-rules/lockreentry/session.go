// Package session stores user sessions, pools and per-tenant caches.
package session

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Session is one login session.
type Session struct {
	ID      string
	User    string
	Expires time.Time
	Score   int
}

// Store keeps sessions in memory.
type Store struct {
	mu       sync.Mutex
	sessions map[string]*Session
	max      int
	metrics  *Metrics
	statsMu  sync.Mutex
	hits     int
	evicted  atomic.Int64
	onClose  map[string]func()
	persistq chan map[string]*Session
}

// Metrics counts events under its own lock.
type Metrics struct {
	mu     sync.Mutex
	counts map[string]int
}

// Inc increments a counter.
func (m *Metrics) Inc(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.counts[name]++
}

// Len returns the number of sessions.
func (s *Store) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

func (s *Store) lenLocked() int { return len(s.sessions) }

// Delete removes a session.
func (s *Store) Delete(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
}

func (s *Store) evictExpired(now time.Time) {
	for id, sess := range s.sessions {
		if now.After(sess.Expires) {
			s.Delete(id)
		}
	}
}

func (s *Store) score(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.sessions[id]; ok {
		return sess.Score
	}
	return 0
}

func (s *Store) persist() {
	s.mu.Lock()
	snap := make(map[string]*Session, len(s.sessions))
	for k, v := range s.sessions {
		snap[k] = v
	}
	s.mu.Unlock()
	select {
	case s.persistq <- snap:
	default:
	}
}

func (s *Store) countHit() {
	s.statsMu.Lock()
	s.hits++
	s.statsMu.Unlock()
}

// Put adds a session, refusing when the store is full.
func (s *Store) Put(sess *Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Len() >= s.max { // HAZ lock-reentry-under-defer
		return errors.New("session store full")
	}
	s.sessions[sess.ID] = sess
	return nil
}

// Refresh extends a session and drops expired ones.
func (s *Store) Refresh(id string, ttl time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if sess, ok := s.sessions[id]; ok {
		sess.Expires = now.Add(ttl)
	}
	s.evictExpired(now) // HAZ lock-reentry-under-defer
}

// PurgeUser deletes every session of user.
func (s *Store) PurgeUser(user string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, sess := range s.sessions {
		if sess.User == user {
			s.Delete(id) // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// Ranked returns the session ids sorted by score.
func (s *Store) Ranked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.sessions))
	for id := range s.sessions {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		return s.score(ids[i]) > s.score(ids[j]) // HAZ lock-reentry-under-defer
	})
	return ids
}

// Cache is a read-mostly cache with a recursive-read hazard.
type Cache struct {
	mu sync.RWMutex
	m  map[string][]byte
}

// Get reads one entry.
func (c *Cache) Get(k string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[k]
	return v, ok
}

// Set writes one entry.
func (c *Cache) Set(k string, v []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[k] = v
}

// GetMany reads several entries under one read lock.
func (c *Cache) GetMany(keys []string) [][]byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([][]byte, 0, len(keys))
	for _, k := range keys {
		if v, ok := c.Get(k); ok { // HAZ lock-reentry-under-defer
			out = append(out, v)
		}
	}
	return out
}

// Ensure fills a missing entry while holding the read lock.
func (c *Cache) Ensure(k string, load func() []byte) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if _, ok := c.m[k]; !ok {
		c.Set(k, load()) // HAZ lock-reentry-under-defer
	}
}

// Registry embeds its mutex.
type Registry struct {
	sync.Mutex
	names map[string]bool
}

// Count returns the number of names.
func (r *Registry) Count() int {
	r.Lock()
	defer r.Unlock()
	return len(r.names)
}

// Add registers a name and reports the new count.
func (r *Registry) Add(name string) int {
	r.Lock()
	defer r.Unlock()
	r.names[name] = true
	return r.Count() // HAZ lock-reentry-under-defer
}

// LRU is a generic bounded cache.
type LRU[K comparable, V any] struct {
	mu    sync.Mutex
	items map[K]V
	order []K
	cap   int
}

// Contains reports whether k is cached.
func (l *LRU[K, V]) Contains(k K) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.items[k]
	return ok
}

// Add inserts k unless it is already cached.
func (l *LRU[K, V]) Add(k K, v V) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.Contains(k) { // HAZ lock-reentry-under-defer
		return
	}
	l.items[k] = v
	l.order = append(l.order, k)
}

// Pool hands out connections.
type Pool struct {
	mu      sync.Mutex
	idle    []int
	waiters int
	max     int
}

func (p *Pool) idleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

func (p *Pool) shouldShrink() bool { return p.idleCount() > p.max }

// Release returns a connection to the pool.
func (p *Pool) Release(id int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.waiters > 0:
		p.waiters--
	case p.shouldShrink(): // HAZ lock-reentry-under-defer
		return
	}
	p.idle = append(p.idle, id)
}

// ---- negatives ----

// PutChecked uses the lock-free helper while holding the lock.
func (s *Store) PutChecked(sess *Session) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lenLocked() >= s.max { // ok: does not lock
		return errors.New("session store full")
	}
	s.sessions[sess.ID] = sess
	return nil
}

// Touch counts the access on the metrics object, which has its own lock.
func (s *Store) Touch(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.sessions[id]
	s.metrics.Inc("touch") // ok: a different mutex
	return ok
}

// PutThenReport releases the lock before calling Len.
func (s *Store) PutThenReport(sess *Session) int {
	s.mu.Lock()
	s.sessions[sess.ID] = sess
	s.mu.Unlock()
	return s.Len() // ok: the lock was released
}

// Expire deletes a session and persists asynchronously.
func (s *Store) Expire(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
	go s.persist() // ok: runs on another goroutine, waits for the unlock
}

// Lookup counts hits under the separate stats lock.
func (s *Store) Lookup(id string) (*Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if ok {
		s.countHit() // ok: locks statsMu, not mu
	}
	return sess, ok
}

// Evict removes a session and bumps an atomic counter.
func (s *Store) Evict(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.sessions, id)
	s.evicted.Add(1) // ok: atomic
}

// Register stores a close hook that runs later, after the lock is released.
func (s *Store) Register(sess *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[sess.ID] = sess
	s.onClose[sess.ID] = func() { s.Delete(sess.ID) } // ok: not called here
}

// InsertAndCount scopes the lock to a literal before calling Len.
func (s *Store) InsertAndCount(sess *Session) int {
	func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.sessions[sess.ID] = sess
	}()
	return s.Len() // ok: the literal already unlocked
}

// Node is a tree node with its own lock.
type Node struct {
	mu       sync.Mutex
	parent   *Node
	children []*Node
}

func (n *Node) setParent(p *Node) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.parent = p
}

// Attach adds child under n.
func (n *Node) Attach(child *Node) {
	if child == n {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.children = append(n.children, child)
	child.setParent(n) // ok: locks child.mu, a different receiver
}

// GetManyCopy reads under the read lock without calling back into Get.
func (c *Cache) GetManyCopy(keys []string) [][]byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([][]byte, 0, len(keys))
	for _, k := range keys {
		if v, ok := c.m[k]; ok {
			out = append(out, v)
		}
	}
	return out
}

// Package cache implements an in-memory TTL cache, a sharded counter, a
// bounded blocking queue and a small pub/sub bus. It is deliberately heavy on
// the locking idioms found in production Go code.
package cache

import (
	"errors"
	"hash/fnv"
	"slices"
	"sort"
	"sync"
	"time"
)

type entry struct {
	value   []byte
	expires time.Time
}

type evicted struct {
	key   string
	value []byte
}

// Cache is a TTL cache safe for concurrent use. onEvict is set once at
// construction time and is always invoked without holding c.mu, so it may
// call back into the cache.
type Cache struct {
	mu         sync.RWMutex
	items      map[string]entry
	dirty      bool
	persisting bool
	onEvict    func(key string, value []byte)
	persistTo  func(map[string][]byte)
	now        func() time.Time

	statsMu      sync.Mutex
	hits, misses int

	watchMu     sync.Mutex
	nextWatchID int
	watchers    map[int]func(key string)
}

// New returns an empty cache.
func New(onEvict func(string, []byte), persistTo func(map[string][]byte)) *Cache {
	return &Cache{
		items:     make(map[string]entry),
		onEvict:   onEvict,
		persistTo: persistTo,
		now:       time.Now,
		watchers:  make(map[int]func(string)),
	}
}

// Get holds the read lock for the whole lookup; the statistics live under a
// separate mutex, so recording them does not re-enter c.mu.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.items[key]
	if !ok || c.now().After(e.expires) {
		c.recordMiss() // ok: locks c.statsMu, not c.mu
		return nil, false
	}
	c.recordHit()
	return e.value, true
}

func (c *Cache) recordHit() {
	c.statsMu.Lock()
	c.hits++
	c.statsMu.Unlock() // ok: straight-line lock/unlock, no return in between
}

func (c *Cache) recordMiss() {
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	c.misses++
}

// Set stores value and invokes the eviction callback for a replaced value
// after releasing the lock, so the callback may re-enter the cache.
func (c *Cache) Set(key string, value []byte, ttl time.Duration) {
	c.mu.Lock()
	old, existed := c.items[key]
	c.items[key] = entry{value: value, expires: c.now().Add(ttl)}
	c.mu.Unlock()

	if existed && c.onEvict != nil {
		c.onEvict(key, old.value) // ok: unlock-before-callback
	}
	c.notifyWatchers(key)
}

// GetOrLoad is double-checked locking with an RWMutex upgrade: the fast path
// runs under the read lock, the slow path re-checks under the write lock.
func (c *Cache) GetOrLoad(key string, ttl time.Duration, load func() ([]byte, error)) ([]byte, error) {
	c.mu.RLock()
	if e, ok := c.items[key]; ok && c.now().Before(e.expires) {
		c.mu.RUnlock()
		return e.value, nil
	}
	c.mu.RUnlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok && c.now().Before(e.expires) {
		return e.value, nil // another goroutine loaded it meanwhile
	}
	v, err := load()
	if err != nil {
		return nil, err
	}
	c.items[key] = entry{value: v, expires: c.now().Add(ttl)}
	return v, nil
}

// deleteLocked removes key. c.mu must be held for writing.
func (c *Cache) deleteLocked(key string) (entry, bool) {
	e, ok := c.items[key]
	if ok {
		delete(c.items, key)
		c.dirty = true
	}
	return e, ok
}

// Delete removes key and reports whether it was present.
func (c *Cache) Delete(key string) bool {
	c.mu.Lock()
	e, ok := c.deleteLocked(key)
	c.mu.Unlock()

	if ok {
		c.notifyEvicted([]evicted{{key: key, value: e.value}})
	}
	return ok
}

// PurgeExpired scopes the critical section with a function literal so the
// callbacks run after the deferred unlock.
func (c *Cache) PurgeExpired() int {
	var gone []evicted
	func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		now := c.now()
		for k, e := range c.items {
			if now.After(e.expires) {
				c.deleteLocked(k)
				gone = append(gone, evicted{key: k, value: e.value})
			}
		}
	}()
	c.notifyEvicted(gone) // ok: c.mu already released by the literal's defer
	return len(gone)
}

func (c *Cache) notifyEvicted(items []evicted) {
	if c.onEvict == nil {
		return
	}
	for _, it := range items {
		c.onEvict(it.key, it.value)
	}
}

// Stats acquires c.mu then c.statsMu, the same order Get uses.
func (c *Cache) Stats() (hits, misses, size int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	c.statsMu.Lock()
	defer c.statsMu.Unlock()
	return c.hits, c.misses, len(c.items)
}

// Keys calls the Locked helper instead of a public method, avoiding a
// recursive RLock.
func (c *Cache) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.keysLocked()
}

// keysLocked returns the sorted keys. c.mu must be held (read or write).
func (c *Cache) keysLocked() []string {
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Watch registers fn and returns a function that unregisters it. The
// returned closure takes c.watchMu, but it is not called while it is held.
func (c *Cache) Watch(fn func(key string)) (cancel func()) {
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	id := c.nextWatchID
	c.nextWatchID++
	c.watchers[id] = fn
	return func() {
		c.watchMu.Lock()
		defer c.watchMu.Unlock()
		delete(c.watchers, id)
	}
}

func (c *Cache) notifyWatchers(key string) {
	c.watchMu.Lock()
	fns := make([]func(string), 0, len(c.watchers))
	for _, fn := range c.watchers {
		fns = append(fns, fn)
	}
	c.watchMu.Unlock()
	for _, fn := range fns {
		fn(key)
	}
}

// MarkDirty starts a background persist while holding c.mu. The goroutine
// takes c.mu itself, but it simply waits until MarkDirty returns: a go
// statement is not a re-entrant call.
func (c *Cache) MarkDirty() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dirty = true
	if c.persisting || c.persistTo == nil {
		return
	}
	c.persisting = true
	go c.persist()
}

// persist writes snapshots until the cache is clean. The lock is taken and
// released once per iteration; the only return releases it first.
func (c *Cache) persist() {
	for {
		c.mu.Lock()
		if !c.dirty {
			c.persisting = false
			c.mu.Unlock()
			return
		}
		snap := make(map[string][]byte, len(c.items))
		for k, e := range c.items {
			snap[k] = e.value
		}
		c.dirty = false
		c.mu.Unlock()

		c.persistTo(snap)
	}
}

// SnapshotItems copies the live values while holding the read lock through
// the RWMutex's RLocker.
func (c *Cache) SnapshotItems() map[string][]byte {
	l := c.mu.RLocker()
	l.Lock()
	defer l.Unlock()
	out := make(map[string][]byte, len(c.items))
	for k, e := range c.items {
		out[k] = slices.Clone(e.value)
	}
	return out
}

// Refresh extends the TTL of key if it is still cached.
func (c *Cache) Refresh(key string, ttl time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.Get(key) // HAZ lock-reentry-under-defer
	if !ok {
		return false
	}
	c.items[key] = entry{value: v, expires: c.now().Add(ttl)}
	return true
}

// Touch resets the expiry of key.
func (c *Cache) Touch(key string, ttl time.Duration) bool {
	c.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := c.items[key]
	if !ok {
		return false
	}
	e.expires = c.now().Add(ttl)
	c.items[key] = e
	c.mu.Unlock()
	return true
}

// KeysWithPrefix lists keys that start with prefix.
func (c *Cache) KeysWithPrefix(prefix string) []string {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	var out []string
	for k := range c.items {
		if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// ---------------------------------------------------------------------------
// Sharded counter

const numShards = 16

type shard struct {
	mu sync.Mutex
	m  map[string]int64
}

// ShardedCounter spreads keys over independently locked shards.
type ShardedCounter struct {
	shards [numShards]*shard
}

// NewShardedCounter returns an empty counter.
func NewShardedCounter() *ShardedCounter {
	s := &ShardedCounter{}
	for i := range s.shards {
		s.shards[i] = &shard{m: make(map[string]int64)}
	}
	return s
}

func (s *ShardedCounter) shardFor(key string) *shard {
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	return s.shards[h.Sum32()%numShards]
}

// Inc adds one to key.
func (s *ShardedCounter) Inc(key string) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.m[key]++
}

// Snapshot locks every shard in index order (the global lock order), and a
// single deferred closure unlocks them all.
func (s *ShardedCounter) Snapshot() map[string]int64 {
	for _, sh := range s.shards {
		sh.mu.Lock()
	}
	defer func() {
		for _, sh := range s.shards {
			sh.mu.Unlock()
		}
	}()
	out := make(map[string]int64)
	for _, sh := range s.shards {
		for k, v := range sh.m {
			out[k] = v
		}
	}
	return out
}

// lockAll acquires every shard in order and hands the release to the caller.
func (s *ShardedCounter) lockAll() (unlock func()) {
	for _, sh := range s.shards {
		sh.mu.Lock()
	}
	return func() {
		for i := len(s.shards) - 1; i >= 0; i-- {
			s.shards[i].mu.Unlock()
		}
	}
}

// Reset clears all shards atomically with respect to Snapshot.
func (s *ShardedCounter) Reset() {
	defer s.lockAll()() // ok: lock now, unlock at return
	for _, sh := range s.shards {
		clear(sh.m)
	}
}

// lockKey returns the locked shard for key together with its unlock func.
func (s *ShardedCounter) lockKey(key string) (*shard, func()) {
	sh := s.shardFor(key)
	sh.mu.Lock()
	return sh, sh.mu.Unlock
}

// Add adds delta to key and returns the new value.
func (s *ShardedCounter) Add(key string, delta int64) int64 {
	sh, unlock := s.lockKey(key)
	defer unlock()
	sh.m[key] += delta
	return sh.m[key]
}

// ---------------------------------------------------------------------------
// Bounded queue built on sync.Cond

// ErrClosed is returned by Put after Close.
var ErrClosed = errors.New("cache: queue closed")

// BoundedQueue is a FIFO with a fixed capacity.
type BoundedQueue[T any] struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	items    []T
	capacity int
	closed   bool
}

// NewBoundedQueue returns a queue holding at most capacity items.
func NewBoundedQueue[T any](capacity int) *BoundedQueue[T] {
	q := &BoundedQueue[T]{capacity: capacity}
	q.notEmpty = sync.NewCond(&q.mu)
	q.notFull = sync.NewCond(&q.mu)
	return q
}

// Put blocks while the queue is full. Cond.Wait releases and re-acquires
// q.mu internally; that is not a re-entrant lock.
func (q *BoundedQueue[T]) Put(v T) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == q.capacity && !q.closed {
		q.notFull.Wait()
	}
	if q.closed {
		return ErrClosed
	}
	q.items = append(q.items, v)
	q.notEmpty.Signal()
	return nil
}

// Take blocks until an item is available or the queue is closed and drained.
func (q *BoundedQueue[T]) Take() (T, bool) {
	q.mu.Lock()
	for len(q.items) == 0 && !q.closed {
		q.notEmpty.Wait()
	}
	if len(q.items) == 0 {
		q.mu.Unlock()
		var zero T
		return zero, false
	}
	v := q.items[0]
	q.items = q.items[1:]
	q.notFull.Signal()
	q.mu.Unlock()
	return v, true
}

// Close wakes all waiters; Put fails afterwards, Take drains what is left.
func (q *BoundedQueue[T]) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.notEmpty.Broadcast()
	q.notFull.Broadcast()
}

// ---------------------------------------------------------------------------
// Compactor using TryLock

// Compactor merges segments; only one compaction runs at a time.
type Compactor struct {
	mu       sync.Mutex
	segments [][]byte
	runs     int
}

// TryCompact returns false immediately when a compaction is already running.
func (c *Compactor) TryCompact() bool {
	if !c.mu.TryLock() {
		return false // ok: the lock was not acquired on this path
	}
	defer c.mu.Unlock()
	c.compactLocked()
	return true
}

// AddSegment appends a segment.
func (c *Compactor) AddSegment(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.segments = append(c.segments, b)
}

func (c *Compactor) compactLocked() {
	if len(c.segments) < 2 {
		return
	}
	var merged []byte
	for _, s := range c.segments {
		merged = append(merged, s...)
	}
	c.segments = [][]byte{merged}
	c.runs++
}

// ---------------------------------------------------------------------------
// Accounts: two mutexes of the same type, always acquired in id order.

// ErrInsufficientFunds is returned by Transfer.
var ErrInsufficientFunds = errors.New("cache: insufficient funds")

// Account is a balance guarded by its own mutex.
type Account struct {
	id      int64
	mu      sync.Mutex
	balance int64
}

// NewAccount returns an account with an opening balance.
func NewAccount(id, balance int64) *Account { return &Account{id: id, balance: balance} }

// Transfer moves amount between two distinct accounts. Both locks are held
// until return; they belong to different objects and are taken in a global
// (id) order, so there is neither re-entry nor an ABBA deadlock.
func Transfer(from, to *Account, amount int64) error {
	if from == to {
		return errors.New("cache: transfer to same account")
	}
	first, second := from, to
	if second.id < first.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	second.mu.Lock()
	defer second.mu.Unlock()

	if from.balance < amount {
		return ErrInsufficientFunds
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

type registry struct {
	sync.Mutex
	byName map[string]*Account
}

// lookup uses the promoted Lock/Unlock of the embedded mutex.
func (r *registry) lookup(name string) (*Account, bool) {
	r.Lock()
	defer r.Unlock()
	a, ok := r.byName[name]
	return a, ok
}

// ---------------------------------------------------------------------------
// Bus: unlock before invoking callbacks, then relock for bookkeeping.

// Bus delivers messages to subscribers synchronously.
type Bus struct {
	mu        sync.Mutex
	subs      map[string][]func(string)
	delivered int
}

// Subscribe adds fn for topic.
func (b *Bus) Subscribe(topic string, fn func(string)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = make(map[string][]func(string))
	}
	b.subs[topic] = append(b.subs[topic], fn)
}

// Publish copies the subscriber list under the lock, calls the subscribers
// unlocked (they may Subscribe or Publish), then relocks to count.
func (b *Bus) Publish(topic, msg string) int {
	b.mu.Lock()
	subs := slices.Clone(b.subs[topic])
	b.mu.Unlock()

	for _, fn := range subs {
		fn(msg)
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	b.delivered += len(subs)
	return b.delivered
}

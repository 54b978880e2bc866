// Package pool is a bounded connection pool with a sharded lease table.
package pool

import (
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// Conn is a pooled connection.
type Conn struct {
	ID      int
	Addr    string
	created time.Time
	broken  bool
}

// Errors returned by the pool.
var (
	ErrClosed    = errors.New("pool: closed")
	ErrExhausted = errors.New("pool: exhausted")
)

// Pool hands out connections up to a limit.
type Pool struct {
	mu     sync.Mutex
	cond   *sync.Cond
	idle   []*Conn
	inUse  int
	limit  int
	closed bool
	nextID int
	dial   func(addr string) (*Conn, error)
	addr   string
	maxAge time.Duration
}

// New returns a pool.
func New(addr string, limit int, dial func(string) (*Conn, error)) *Pool {
	p := &Pool{addr: addr, limit: limit, dial: dial, maxAge: time.Hour}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// Get returns an idle connection or dials a new one. Every return after the
// Lock unlocks explicitly.
func (p *Pool) Get() (*Conn, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.inUse++
		p.mu.Unlock()
		return c, nil
	}
	if p.inUse >= p.limit {
		p.mu.Unlock()
		return nil, ErrExhausted
	}
	p.inUse++
	p.nextID++
	id := p.nextID
	p.mu.Unlock()

	c, err := p.dial(p.addr)
	if err != nil {
		p.mu.Lock()
		p.inUse--
		p.mu.Unlock()
		return nil, fmt.Errorf("pool: dial %s: %w", p.addr, err)
	}
	c.ID = id
	c.created = time.Now()
	return c, nil
}

// Wait blocks until a connection is idle or the pool closes.
func (p *Pool) Wait() (*Conn, error) {
	p.mu.Lock()
	for len(p.idle) == 0 && !p.closed {
		p.cond.Wait()
	}
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	c := p.idle[len(p.idle)-1]
	p.idle = p.idle[:len(p.idle)-1]
	p.inUse++
	p.mu.Unlock()
	return c, nil
}

// Put returns c to the pool.
func (p *Pool) Put(c *Conn) {
	p.mu.Lock()
	defer func() {
		p.mu.Unlock()
		p.cond.Signal()
	}()
	p.inUse--
	if p.closed || c.broken || time.Since(c.created) > p.maxAge {
		return
	}
	p.idle = append(p.idle, c)
}

// Close marks the pool closed and wakes every waiter.
func (p *Pool) Close() []*Conn {
	p.mu.Lock()
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	p.cond.Broadcast()
	return idle
}

// Resize changes the limit; a switch unlocks on each arm.
func (p *Pool) Resize(limit int) error {
	p.mu.Lock()
	switch {
	case limit <= 0:
		p.mu.Unlock()
		return fmt.Errorf("pool: bad limit %d", limit)
	case limit < p.inUse:
		busy := p.inUse
		p.mu.Unlock()
		return fmt.Errorf("pool: %d connections busy, cannot shrink to %d", busy, limit)
	default:
		p.limit = limit
		p.mu.Unlock()
		return nil
	}
}

// Evict drops idle connections older than maxAge, one lock per connection so
// callers of Get are not starved.
func (p *Pool) Evict(now time.Time) int {
	evicted := 0
	for {
		p.mu.Lock()
		if len(p.idle) == 0 {
			p.mu.Unlock()
			break
		}
		c := p.idle[0]
		if now.Sub(c.created) <= p.maxAge {
			p.mu.Unlock()
			break
		}
		p.idle = p.idle[1:]
		p.mu.Unlock()
		evicted++
	}
	return evicted
}

// MarkBroken flags connections by id.
func (p *Pool) MarkBroken(ids map[int]bool) int {
	n := 0
	for _, c := range p.snapshot() {
		p.mu.Lock()
		if !ids[c.ID] {
			p.mu.Unlock()
			continue
		}
		c.broken = true
		p.mu.Unlock()
		n++
	}
	return n
}

func (p *Pool) snapshot() []*Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*Conn(nil), p.idle...)
}

// lock and unlock let the helpers below share the locking without a defer.
func (p *Pool) lock()   { p.mu.Lock() }
func (p *Pool) unlock() { p.mu.Unlock() }

// Stats returns the number of idle and busy connections.
func (p *Pool) Stats() (idle, busy int) {
	p.lock()
	idle, busy = len(p.idle), p.inUse
	p.unlock()
	return idle, busy
}

// Locked runs fn with the pool lock held, releasing it even if fn panics.
func (p *Pool) Locked(fn func(idle []*Conn) []*Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle = fn(p.idle)
}

// Drain takes the lock once, releases it early for the slow part, and still
// has a guarded unlock at exit for the panic path.
func (p *Pool) Drain(closeConn func(*Conn)) int {
	p.mu.Lock()
	unlock := sync.OnceFunc(p.mu.Unlock)
	defer unlock() // ok: OnceFunc makes the second call a no-op
	idle := p.idle
	p.idle = nil
	unlock()
	for _, c := range idle {
		closeConn(c)
	}
	return len(idle)
}

// Reserve takes n slots; the lock is released on every path.
func (p *Pool) Reserve(n int) (release func(), err error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrClosed
	}
	if p.inUse+n > p.limit {
		p.mu.Unlock()
		return nil, ErrExhausted
	}
	p.inUse += n
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		p.inUse -= n
		p.mu.Unlock()
		p.cond.Broadcast()
	}, nil
}

// SetMaxAge changes the idle age limit.
func (p *Pool) SetMaxAge(d time.Duration) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if d <= 0 {
		return fmt.Errorf("pool: max age must be positive, got %v", d)
	}
	p.maxAge = d
	p.mu.Unlock()
	return nil
}

// shard is one partition of the lease table.
type shard struct {
	mu     sync.Mutex
	leases map[string]time.Time
}

// Leases is a lease table split into shards to reduce contention.
type Leases struct {
	shards [16]shard
}

// NewLeases returns an empty table.
func NewLeases() *Leases {
	l := &Leases{}
	for i := range l.shards {
		l.shards[i].leases = make(map[string]time.Time)
	}
	return l
}

// lockShard returns the shard for key with its mutex held. The caller must
// call s.mu.Unlock.
func (l *Leases) lockShard(key string) *shard {
	h := fnv.New32a()
	h.Write([]byte(key))
	s := &l.shards[h.Sum32()%uint32(len(l.shards))]
	s.mu.Lock() // ok: handed to the caller, see the doc comment
	return s
}

// Acquire takes a lease on key until ttl from now.
func (l *Leases) Acquire(key string, now time.Time, ttl time.Duration) bool {
	s := l.lockShard(key)
	defer s.mu.Unlock()
	if until, ok := s.leases[key]; ok && until.After(now) {
		return false
	}
	s.leases[key] = now.Add(ttl)
	return true
}

// Release drops a lease.
func (l *Leases) Release(key string) {
	s := l.lockShard(key)
	delete(s.leases, key)
	s.mu.Unlock()
}

// Holder returns the expiry of a lease.
func (l *Leases) Holder(key string) (time.Time, bool) {
	s := l.lockShard(key)
	until, ok := s.leases[key]
	s.mu.Unlock()
	return until, ok
}

// LockAll locks every shard in index order; UnlockAll releases them. They
// form the Lock/Unlock pair of a sync.Locker for whole-table operations.
func (l *Leases) LockAll() {
	for i := range l.shards {
		l.shards[i].mu.Lock()
	}
}

// UnlockAll releases what LockAll took.
func (l *Leases) UnlockAll() {
	for i := len(l.shards) - 1; i >= 0; i-- {
		l.shards[i].mu.Unlock()
	}
}

// Len counts every lease with the whole table locked.
func (l *Leases) Len() int {
	l.LockAll()
	defer l.UnlockAll()
	n := 0
	for i := range l.shards {
		n += len(l.shards[i].leases)
	}
	return n
}

// Sweep removes expired leases shard by shard.
func (l *Leases) Sweep(now time.Time) int {
	removed := 0
	for i := range l.shards {
		s := &l.shards[i]
		s.mu.Lock()
		for k, until := range s.leases {
			if !until.After(now) {
				delete(s.leases, k)
				removed++
			}
		}
		s.mu.Unlock()
	}
	return removed
}

// Extend pushes the expiry of an existing lease.
func (l *Leases) Extend(key string, by time.Duration) error {
	s := l.lockShard(key)
	until, ok := s.leases[key]
	if !ok {
		s.mu.Unlock()
		return fmt.Errorf("lease %q: not held", key)
	}
	s.leases[key] = until.Add(by)
	s.mu.Unlock()
	return nil
}

// Locks handed over to someone else to release, and the leaks that look like them.
package fixture

import (
	"errors"
	"sync"
	"testing"
)

type DB struct {
	rwlock   sync.Mutex
	metalock sync.Mutex
	mmaplock sync.RWMutex
	open     bool
	cache    sync.Mutex
	txs      int
}

type Tx struct {
	db       *DB
	writable bool
}

var errClosed = errors.New("database not open")

// The writer lock is released on each failure path and kept on success: the transaction
// returned releases it in close.
func (db *DB) beginRWTx() (*Tx, error) {
	db.rwlock.Lock()
	db.metalock.Lock()
	defer db.metalock.Unlock()
	if !db.open {
		db.rwlock.Unlock()
		return nil, errClosed
	}
	return &Tx{db: db, writable: true}, nil
}

// The same with a read lock, released by the database when the transaction goes.
func (db *DB) beginTx() (*Tx, error) {
	db.mmaplock.RLock()
	if !db.open {
		db.mmaplock.RUnlock()
		return nil, errClosed
	}
	return &Tx{db: db}, nil
}

func (tx *Tx) close() {
	if tx.writable {
		tx.db.rwlock.Unlock()
	}
	tx.db.removeTx()
}

func (db *DB) removeTx() {
	db.mmaplock.RUnlock()
	db.metalock.Lock()
	db.txs--
	db.metalock.Unlock()
}

// Nothing else in the package releases cache without taking it: a success return with it held
// is a leak.
func (db *DB) cachedTx() (*Tx, error) {
	db.cache.Lock() // want `db\.cache\.Lock\(\) on line 66 is not released on the path to the return on line 71`
	if !db.open {
		db.cache.Unlock()
		return nil, errClosed
	}
	return &Tx{db: db}, nil
}

// A failure path that keeps the lock is a leak even when success hands it over.
func (db *DB) beginChecked(check func() error) (*Tx, error) {
	db.rwlock.Lock() // want `db\.rwlock\.Lock\(\) on line 76 is not released on the path to the return on line 82`
	if !db.open {
		db.rwlock.Unlock()
		return nil, errClosed
	}
	if err := check(); err != nil {
		return nil, err
	}
	return &Tx{db: db, writable: true}, nil
}

type Conn struct {
	rlock sync.Mutex
	next  int32
}

func (c *Conn) peek() (int32, error) { return c.next, nil }

// The held mutex itself is handed to the caller, who unlocks it after reading the response.
func (c *Conn) waitResponse(id int32) (lock *sync.Mutex, err error) {
	for {
		c.rlock.Lock()
		rid, err := c.peek()
		if err != nil {
			c.rlock.Unlock()
			return nil, err
		}
		if rid == id {
			lock = &c.rlock
			break
		}
		c.rlock.Unlock()
	}
	return lock, nil
}

// Read locks counted in one loop and released as many times by the next.
func BenchmarkRLockUnlock(b *testing.B) {
	var mu sync.RWMutex
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for ; pb.Next(); i++ {
			mu.RLock()
		}
		for ; i > 0; i-- {
			mu.RUnlock()
		}
	})
}

// A read lock released only inside a nested search loop leaks on every other iteration.
func countMatches(shards []*DB, want int) int {
	n := 0
	for _, s := range shards {
		s.mmaplock.RLock() // want `s\.mmaplock\.RLock\(\) on line 130 is not released on the path to the return on line 139`
		for i := 0; i < s.txs; i++ {
			if i == want {
				n++
				s.mmaplock.RUnlock()
				break
			}
		}
	}
	return n
}

type Rows struct {
	closemu  sync.RWMutex
	scanHold bool
	leased   bool
	raw      []byte
}

func (rs *Rows) scanLocked(dest []any) error { return nil }

// Scan keeps the read lock while the caller still holds raw bytes, and says so in a marker that
// Next tests to release it.
func (rs *Rows) Scan(dest ...any) error {
	rs.closemu.RLock()
	err := rs.scanLocked(dest)
	if err == nil && len(rs.raw) > 0 {
		rs.scanHold = true
	} else {
		rs.closemu.RUnlock()
	}
	return err
}

func (rs *Rows) Next() bool {
	if rs.scanHold {
		rs.scanHold = false
		rs.closemu.RUnlock()
	}
	return len(rs.raw) > 0
}

// A marker that no release tests does not hand the lock over.
func (rs *Rows) Peek(dest ...any) error {
	rs.closemu.RLock() // want `rs\.closemu\.RLock\(\) on line 174 is not released on the path to the return on line 181`
	err := rs.scanLocked(dest)
	if err == nil {
		rs.leased = true
	} else {
		rs.closemu.RUnlock()
	}
	return err
}

type readTx struct {
	txMu    sync.RWMutex
	buckets map[string][]string
}

// The write lock is taken only when the bucket is missing, and a flag records it for the
// release further down.
func (rt *readTx) rangeKeys(name string) []string {
	rt.txMu.RLock()
	b, ok := rt.buckets[name]
	rt.txMu.RUnlock()
	lockHeld := false
	if !ok {
		rt.txMu.Lock()
		lockHeld = true
		b = []string{name}
		rt.buckets[name] = b
	}
	if len(b) == 0 {
		if lockHeld {
			rt.txMu.Unlock()
		}
		return nil
	}
	if !lockHeld {
		rt.txMu.Lock()
	}
	out := append([]string(nil), b...)
	rt.txMu.Unlock()
	return out
}

// A flag that no release tests leaves the early return with the lock held.
func (rt *readTx) firstKey(name string) string {
	locked := false
	rt.txMu.Lock() // want `rt\.txMu\.Lock\(\) on line 219 is not released on the path to the return on line 223`
	locked = true
	b := rt.buckets[name]
	if len(b) == 0 {
		return ""
	}
	if locked {
		rt.txMu.Unlock()
	}
	return b[0]
}

type vstream struct {
	mu     sync.Mutex
	events []string
}

func (vs *vstream) each(f func(ev string) error) error {
	for _, ev := range vs.events {
		if err := f(ev); err != nil {
			return err
		}
	}
	return nil
}

// The callback keeps the lock across calls while a transaction is being sent; the function around
// it releases the lock in a defer when the stream ends.
func (vs *vstream) stream(limit int) error {
	var txLockHeld bool
	defer func() {
		if txLockHeld {
			vs.mu.Unlock()
		}
	}()
	return vs.each(func(ev string) error {
		if txLockHeld && ev == "commit" {
			vs.mu.Unlock()
			txLockHeld = false
		}
		if !txLockHeld && len(ev) > limit {
			vs.mu.Lock()
			txLockHeld = true
			if ev == "" {
				return errClosed
			}
		}
		return nil
	})
}

// A callback whose lock nothing around it releases leaks it on the early return.
func (vs *vstream) streamNoRelease(limit int) error {
	return vs.each(func(ev string) error {
		vs.mu.Lock() // want `vs\.mu\.Lock\(\) on line 273 is not released on the path to the return on line 275`
		if len(ev) > limit {
			return errClosed
		}
		vs.mu.Unlock()
		return nil
	})
}

type Lifecycle struct {
	control sync.Mutex
	state   int
}

// A collection holds the lifecycle's lock until it is completed.
type Collection struct {
	lifecycle *Lifecycle
}

func (c Collection) Complete() {
	c.lifecycle.state = 0
	c.lifecycle.control.Unlock()
}

func (l *Lifecycle) begin() (Collection, bool) {
	if l.state < 0 {
		return Collection{}, false
	}
	return Collection{lifecycle: l}, true
}

// Kept on success and handed to the Collection, whose Complete releases it: the releasing if
// tests the very flag that is returned.
func (l *Lifecycle) BeginCollection() (Collection, bool) {
	l.control.Lock()
	c, ok := l.begin()
	if !ok {
		l.control.Unlock()
	}
	return c, ok
}

// The same with a literal true on success, and with an error variable.
func (l *Lifecycle) BeginDelta() (Collection, bool) {
	l.control.Lock()
	c, ok := l.begin()
	if !ok {
		l.control.Unlock()
		return Collection{}, false
	}
	return c, true
}

func (l *Lifecycle) BeginChecked(check func() error) (Collection, error) {
	l.control.Lock()
	err := check()
	if err != nil {
		l.control.Unlock()
	}
	return Collection{lifecycle: l}, err
}

// The flag returned is not the one the release tests: on the !ready path the lock is kept and
// false is returned, which no caller completes.
func (l *Lifecycle) BeginReady(ready bool) (Collection, bool) {
	l.control.Lock() // want `l\.control\.Lock\(\) on line 338 is not released on the path to the return on line 343`
	c, ok := l.begin()
	if !ok {
		l.control.Unlock()
	}
	return c, ok && ready
}

// A batch is locked while it is staged; the worker that receives it unlocks it.
type batch struct {
	sync.Mutex
	items []int
}

var batchPool = sync.Pool{New: func() any { return new(batch) }}

func putBatch(b *batch) {
	b.items = b.items[:0]
	b.Mutex = sync.Mutex{}
	batchPool.Put(b)
}

// Locked, then sent to the worker or given back to the pool: the lock goes with the batch.
func stage(in <-chan *batch, work chan<- *batch) {
	for {
		select {
		case b := <-in:
			b.Lock()
			if len(b.items) == 0 {
				putBatch(b)
				continue
			}
			work <- b
		default:
			return
		}
	}
}

type job struct {
	mu    sync.Mutex
	items []int
}

func validate(j *job) error {
	if len(j.items) > 100 {
		return errors.New("too big")
	}
	return nil
}

// Passing the job to a check takes nothing over: returning on its error leaks the lock.
func stageChecked(j *job, work chan<- *job) error {
	j.mu.Lock() // want `j\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if err := validate(j); err != nil {
		return err
	}
	if len(j.items) == 0 {
		j.mu.Unlock()
		return nil
	}
	work <- j
	return nil
}

type channelHub struct {
	mu       sync.Mutex
	pubLocks []*sync.Mutex
	state    map[string]int
}

// An optional lock, taken only when the locks exist and released under `if mu != nil`: after
// mu.Lock() succeeded mu is not nil, so the release always runs.
func (h *channelHub) expire(keys []string) {
	for i, k := range keys {
		var mu *sync.Mutex
		if h.pubLocks != nil {
			mu = h.pubLocks[i%len(h.pubLocks)]
			mu.Lock()
		}
		h.mu.Lock()
		delete(h.state, k)
		h.mu.Unlock()
		if mu != nil {
			mu.Unlock()
		}
	}
}

// The release is guarded by something else: a path skips it.
func (h *channelHub) expireSome(keys []string, unlock bool) {
	for i, k := range keys {
		var mu *sync.Mutex
		if h.pubLocks != nil {
			mu = h.pubLocks[i%len(h.pubLocks)]
			mu.Lock() // want `mu\.Lock\(\) on line \d+ is not released`
		}
		delete(h.state, k)
		if unlock {
			mu.Unlock()
		}
	}
}

type expectation struct {
	sync.Mutex
	done bool
}

func (e *expectation) match() bool { return !e.done }

// The search keeps the matching expectation locked under another name; the deferred literal
// releases it through that name.
func findExpectation(all []*expectation) (*expectation, error) {
	var found *expectation
	defer func() {
		if found != nil {
			found.Unlock()
		}
	}()
	for _, next := range all {
		next.Lock()
		if next.done {
			next.Unlock()
			continue
		}
		if found = next; found.match() {
			break
		}
		found = nil
		next.Unlock()
	}
	if found == nil {
		return nil, errors.New("no expectation")
	}
	found.done = true
	return found, nil
}

type connPool struct {
	mu      sync.Mutex
	other   sync.Mutex
	closed  bool
	servers map[string]int
}

// The unlock is handed to a sync.Once and deferred: it runs once, at exit, also after the lock
// was released around the health check and taken again.
func (p *connPool) borrow(name string, check func() bool) (int, error) {
	p.mu.Lock()
	unlock := new(sync.Once)
	defer unlock.Do(p.mu.Unlock)
	if p.closed {
		return 0, errors.New("closed")
	}
	p.mu.Unlock()
	healthy := check()
	p.mu.Lock()
	if !healthy {
		return 0, errors.New("unhealthy")
	}
	return p.servers[name], nil
}

// The Once gets another mutex's unlock: this one stays locked on the early return.
func (p *connPool) borrowWrong(name string) (int, error) {
	p.mu.Lock() // want `p\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	unlock := new(sync.Once)
	defer unlock.Do(p.other.Unlock)
	if p.closed {
		return 0, errors.New("closed")
	}
	n := p.servers[name]
	p.mu.Unlock()
	return n, nil
}

type delayQueue struct {
	mu       sync.Mutex
	shutting bool
	waiting  int
	items    []string
	later    func(func())
}

var errShuttingDown = errors.New("shutting down")

// The literal given to later locks and unlocks the mutex itself: its unlock is not a release of
// the lock taken here, and the early return leaks that one.
func (q *delayQueue) addLater(item string) error {
	q.mu.Lock() // want `q\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if q.shutting {
		return errShuttingDown
	}
	q.waiting++
	q.mu.Unlock()
	q.later(func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		q.waiting--
		q.items = append(q.items, item)
	})
	return nil
}

// A literal that unlocks first releases the lock taken here for a while (unlock around a
// callback): the lock is the literal's business, no finding.
func (q *delayQueue) withCallback(cb func()) {
	q.mu.Lock()
	q.later(func() {
		q.mu.Unlock()
		cb()
		q.mu.Lock()
	})
}

// Package state keeps the in-memory catalogue and persists it.
package state

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// Snapshot is an immutable copy of the store.
type Snapshot struct {
	entries map[string]string
}

// WriteTo writes the snapshot as JSON.
func (s *Snapshot) WriteTo(w io.Writer) (int64, error) {
	b, err := json.Marshal(s.entries)
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// Release returns the snapshot's buffers.
func (s *Snapshot) Release() { s.entries = nil }

// Stats are cache counters.
type Stats struct{ Hits, Misses int }

// Publish exports the counters.
func (s Stats) Publish(reg map[string]int) {
	reg["hits"] = s.Hits
	reg["misses"] = s.Misses
}

// Cache counts lookups.
type Cache struct {
	hits   atomic.Int64
	misses atomic.Int64
}

// Stats returns a copy of the counters.
func (c *Cache) Stats() Stats {
	return Stats{Hits: int(c.hits.Load()), Misses: int(c.misses.Load())}
}

// Store is the catalogue store.
type Store struct {
	mu      sync.RWMutex
	entries map[string]string
	pub     atomic.Pointer[map[string]string]
	cache   *Cache
	reg     map[string]int
	conn    net.Conn
	addr    string
	pool    sync.Pool
	sess    *Session
	index   map[string]int
	results []Result
}

// Summary aggregates results.
type Summary struct{ ok, failed int }

// Log prints the summary.
func (s Summary) Log() { log.Printf("ok=%d failed=%d", s.ok, s.failed) }

// Result is one item outcome.
type Result struct {
	Key string
	Err error
}

// Txn collects changes.
type Txn struct{ changes map[string]int }

// Diff is a set of index changes.
type Diff struct{ changes map[string]int }

// Apply applies the diff to index.
func (d Diff) Apply(index map[string]int) {
	for k, v := range d.changes {
		index[k] = v
	}
}

// Diff returns the current changes.
func (t *Txn) Diff() Diff {
	c := make(map[string]int, len(t.changes))
	for k, v := range t.changes {
		c[k] = v
	}
	return Diff{changes: c}
}

// Batch buffers items for a sink.
type Batch[T any] struct{ items []T }

// Flush sends the items to sink.
func (b Batch[T]) Flush(sink func([]T)) { sink(b.items) }

// Queue accumulates items.
type Queue[T any] struct {
	items []T
	more  func() []T
}

func (q *Queue[T]) batch() Batch[T] {
	return Batch[T]{items: append([]T(nil), q.items...)}
}

// Session is a user session.
type Session struct{ User string }

// Save persists the session.
func (s *Session) Save() { log.Printf("saved session for %q", s.User) }

// Message is an inbox message.
type Message struct {
	ID   string
	Read bool
}

// MarkRead marks the message as read.
func (m *Message) MarkRead() { m.Read = true }

// Inbox holds messages.
type Inbox struct{ msgs []*Message }

func (b *Inbox) latest() *Message {
	if len(b.msgs) == 0 {
		return &Message{}
	}
	return b.msgs[len(b.msgs)-1]
}

// Snapshot returns the last published copy of the entries.
func (s *Store) Snapshot() *Snapshot {
	if m := s.pub.Load(); m != nil {
		return &Snapshot{entries: *m}
	}
	return &Snapshot{entries: map[string]string{}}
}

func (s *Store) currentConn() net.Conn { return s.conn }

func (s *Store) session() *Session { return s.sess }

func (s *Store) state() map[string]string {
	if m := s.pub.Load(); m != nil {
		return *m
	}
	return nil
}

func (s *Store) trace(name string) func() {
	log.Printf("begin %s", name)
	return func() { log.Printf("end %s", name) }
}

func (s *Store) acquire(ctx context.Context, key string) func() {
	s.mu.Lock()
	return s.mu.Unlock
}

func (s *Store) set(k, v string) {
	s.mu.Lock()
	s.entries[k] = v
	c := make(map[string]string, len(s.entries))
	for k, v := range s.entries {
		c[k] = v
	}
	s.pub.Store(&c)
	s.mu.Unlock()
}

func (s *Store) summary() Summary {
	var sum Summary
	for _, r := range s.results {
		if r.Err != nil {
			sum.failed++
		} else {
			sum.ok++
		}
	}
	return sum
}

// ApplyBatch applies kv pairs and persists the store.
func (s *Store) ApplyBatch(batch map[string]string, w io.Writer) {
	defer s.Snapshot().WriteTo(w) // HAZ defer-call-chain
	for k, v := range batch {
		s.set(k, v)
	}
}

// ProcessAll processes every key and logs a summary.
func (s *Store) ProcessAll(keys []string, fn func(string) error) {
	defer s.summary().Log() // HAZ defer-call-chain
	for _, k := range keys {
		s.results = append(s.results, Result{Key: k, Err: fn(k)})
	}
}

// Reconnect replaces the connection and closes it at exit.
func (s *Store) Reconnect() error {
	defer s.currentConn().Close() // HAZ defer-call-chain
	conn, err := net.Dial("tcp", s.addr)
	if err != nil {
		return err
	}
	s.conn = conn
	return nil
}

// Lookups serves keys from the cache and publishes the counters.
func (s *Store) Lookups(keys []string) []string {
	defer s.cache.Stats().Publish(s.reg) // HAZ defer-call-chain
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if v, ok := s.Get(k); ok {
			s.cache.hits.Add(1)
			out = append(out, v)
		} else {
			s.cache.misses.Add(1)
		}
	}
	return out
}

// Commit records changes and applies them to the index.
func (s *Store) Commit(txn *Txn, changes map[string]int) {
	defer txn.Diff().Apply(s.index) // HAZ defer-call-chain
	for k, v := range changes {
		txn.changes[k] = v
	}
}

// HandleUpdate applies an update and answers with the new state.
func (s *Store) HandleUpdate(w http.ResponseWriter, r *http.Request) {
	defer json.NewEncoder(w).Encode(s.state()) // HAZ defer-call-chain
	var upd map[string]string
	if err := json.NewDecoder(r.Body).Decode(&upd); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	for k, v := range upd {
		s.set(k, v)
	}
}

// Drain appends the pending items and flushes the queue to sink at exit.
func (q *Queue[T]) Drain(sink func([]T)) {
	defer q.batch().Flush(sink) // HAZ defer-call-chain
	q.items = append(q.items, q.more()...)
	log.Printf("draining %d items", len(q.items))
}

// Login swaps in the user's session and saves it.
func (s *Store) Login(user string) {
	defer s.session().Save() // HAZ defer-call-chain
	s.sess = &Session{User: user}
}

// Receive appends messages and marks the newest as read.
func (b *Inbox) Receive(msgs []*Message) {
	defer b.latest().MarkRead() // HAZ defer-call-chain
	b.msgs = append(b.msgs, msgs...)
}

// ---- negatives ----

// ApplyBatchTraced uses the defer f()() idiom.
func (s *Store) ApplyBatchTraced(batch map[string]string) {
	defer s.trace("apply")() // ok: f()() idiom
	for k, v := range batch {
		s.set(k, v)
	}
}

// ApplyBatchPersisted snapshots at exit inside a closure.
func (s *Store) ApplyBatchPersisted(batch map[string]string, w io.Writer) {
	defer func() {
		if _, err := s.Snapshot().WriteTo(w); err != nil {
			log.Printf("persist: %v", err)
		}
	}() // ok: runs at exit
	for k, v := range batch {
		s.set(k, v)
	}
}

// Get reads one entry.
func (s *Store) Get(k string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock() // ok: field path, no call in the receiver
	v, ok := s.entries[k]
	return v, ok
}

// Fetch reads a remote document.
func Fetch(c *http.Client, url string) ([]byte, error) {
	resp, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close() // ok: field path
	return io.ReadAll(resp.Body)
}

// Export takes the snapshot now on purpose and releases it at exit.
func (s *Store) Export(w io.Writer) error {
	snap := s.Snapshot()
	defer snap.Release() // ok: plain method call on a variable
	_, err := snap.WriteTo(w)
	return err
}

// Update holds the key lock through the acquire()() idiom.
func (s *Store) Update(ctx context.Context, k, v string) {
	defer s.acquire(ctx, k)() // ok: f()() idiom
	s.entries[k] = v
}

// Encode renders entries using a pooled buffer.
func (s *Store) Encode() ([]byte, error) {
	buf, _ := s.pool.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	defer s.pool.Put(buf) // ok: s.pool is a field, not a call
	if err := json.NewEncoder(buf).Encode(s.state()); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// PublishStats publishes the counters read at exit.
func (s *Store) PublishStats(keys []string) {
	defer func() { s.cache.Stats().Publish(s.reg) }() // ok: closure
	for _, k := range keys {
		if _, ok := s.Get(k); ok {
			s.cache.hits.Add(1)
		}
	}
}

// CloseAll closes every connection by index.
func CloseAll(conns []net.Conn, i int) {
	defer conns[i].Close() // ok: index expression, no call
	for j, c := range conns {
		if j != i {
			c.Close()
		}
	}
}

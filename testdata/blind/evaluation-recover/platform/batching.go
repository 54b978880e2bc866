package platform

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"time"
)

// Record is one queued message.
type Record struct {
	Key   string
	Value int64
}

// Queue is an in-memory message queue.
type Queue struct {
	mu      sync.Mutex
	records []Record
}

// Len returns the number of queued records.
func (q *Queue) Len() int {
	q.mu.Lock()
	n := len(q.records)
	q.mu.Unlock()
	return n
}

// BatchBuilder accumulates records before they are committed as one batch.
type BatchBuilder struct {
	topic   string
	records []Record
}

// NewBatchBuilder starts a batch for topic.
func NewBatchBuilder(topic string) *BatchBuilder { return &BatchBuilder{topic: topic} }

// Add appends a record.
func (b *BatchBuilder) Add(key string, v int64) {
	b.records = append(b.records, Record{Key: key, Value: v})
}

// Build freezes the records added so far into a batch.
func (b *BatchBuilder) Build() *Batch {
	recs := make([]Record, len(b.records))
	copy(recs, b.records)
	return &Batch{Topic: b.topic, Records: recs}
}

// Batch is an immutable set of records.
type Batch struct {
	Topic   string
	Records []Record
}

// Commit enqueues all records of the batch.
func (b *Batch) Commit(q *Queue) {
	q.mu.Lock()
	q.records = append(q.records, b.Records...)
	q.mu.Unlock()
}

// ErrSessionClosed is returned when a closed chat session is used.
var ErrSessionClosed = errors.New("session closed")

// Session is a support chat session.
type Session struct {
	User     string
	Opened   time.Time
	messages []string
	closed   bool
}

// Append adds a message to an open session.
func (s *Session) Append(msg string) error {
	if s.closed {
		return ErrSessionClosed
	}
	s.messages = append(s.messages, msg)
	return nil
}

// End closes the session and returns its summary.
func (s *Session) End() *SessionSummary {
	s.closed = true
	return &SessionSummary{User: s.User, Messages: len(s.messages), Duration: time.Since(s.Opened)}
}

// SessionSummary describes a finished session.
type SessionSummary struct {
	User     string
	Messages int
	Duration time.Duration
}

// Log writes the summary.
func (s *SessionSummary) Log(l *log.Logger) {
	l.Printf("session %s: %d messages in %s", s.User, s.Messages, s.Duration)
}

// SessionStore opens sessions.
type SessionStore struct{}

// Open starts a session for user.
func (SessionStore) Open(user string) *Session { return &Session{User: user, Opened: time.Now()} }

// ExpiringStore is a map whose entries expire.
type ExpiringStore struct {
	mu      sync.Mutex
	entries map[string]expiring
}

type expiring struct {
	value   int64
	expires time.Time
}

// NewExpiringStore returns an empty store.
func NewExpiringStore() *ExpiringStore { return &ExpiringStore{entries: make(map[string]expiring)} }

// Put stores v under k for ttl.
func (s *ExpiringStore) Put(k string, v int64, ttl time.Duration) {
	s.mu.Lock()
	s.entries[k] = expiring{value: v, expires: time.Now().Add(ttl)}
	s.mu.Unlock()
}

// EvictExpired removes every expired entry now and reports what it did.
func (s *ExpiringStore) EvictExpired() EvictStats {
	now := time.Now()
	s.mu.Lock()
	st := EvictStats{Scanned: len(s.entries)}
	for k, e := range s.entries {
		if now.After(e.expires) {
			delete(s.entries, k)
			st.Evicted++
		}
	}
	s.mu.Unlock()
	return st
}

// EvictStats reports an eviction pass.
type EvictStats struct {
	Scanned int
	Evicted int
}

// Record adds the stats to the counters.
func (e EvictStats) Record(c *Counters) {
	c.Add("cache.scanned", int64(e.Scanned))
	c.Add("cache.evicted", int64(e.Evicted))
}

// Buffer accumulates values of any type.
type Buffer[T any] struct {
	items []T
}

// Push appends v.
func (b *Buffer[T]) Push(v T) { b.items = append(b.items, v) }

// Len returns the number of buffered values.
func (b *Buffer[T]) Len() int { return len(b.items) }

// Pending returns a copy of the values buffered so far.
func (b *Buffer[T]) Pending() Pending[T] {
	out := make(Pending[T], len(b.items))
	copy(out, b.items)
	return out
}

// Pending is a copied slice of buffered values.
type Pending[T any] []T

// FlushTo hands the values to sink if there are any.
func (p Pending[T]) FlushTo(sink func([]T)) {
	if len(p) > 0 {
		sink(p)
	}
}

// Totals sums amounts per account.
type Totals struct {
	sums map[string]int64
}

// Add adds cents to account.
func (t *Totals) Add(account string, cents int64) {
	if t.sums == nil {
		t.sums = make(map[string]int64)
	}
	t.sums[account] += cents
}

// Summary computes the current totals.
func (t *Totals) Summary() TotalsSummary {
	s := TotalsSummary{Accounts: len(t.sums)}
	for _, v := range t.sums {
		s.Cents += v
	}
	return s
}

// TotalsSummary is a computed view of Totals.
type TotalsSummary struct {
	Accounts int
	Cents    int64
}

// Print logs the summary.
func (s TotalsSummary) Print(l *log.Logger) {
	l.Printf("%d accounts, %d.%02d total", s.Accounts, s.Cents/100, s.Cents%100)
}

// Checkpointer tracks the progress of a resumable job.
type Checkpointer struct {
	Job    string
	Offset int64
}

// Checkpoint captures the current offset.
func (c *Checkpointer) Checkpoint() Checkpoint {
	return Checkpoint{Job: c.Job, Offset: c.Offset, At: time.Now()}
}

// Checkpoint is a saved position.
type Checkpoint struct {
	Job    string
	Offset int64
	At     time.Time
}

// CheckpointStore persists checkpoints.
type CheckpointStore struct {
	mu    sync.Mutex
	saved map[string]Checkpoint
}

// Save persists cp in store.
func (cp Checkpoint) Save(store *CheckpointStore) {
	store.mu.Lock()
	if store.saved == nil {
		store.saved = make(map[string]Checkpoint)
	}
	store.saved[cp.Job] = cp
	store.mu.Unlock()
}

// Journal records migration steps until it is sealed.
type Journal struct {
	entries []string
	sealed  bool
}

// Note records a step; it fails once the journal is sealed.
func (j *Journal) Note(format string, args ...any) error {
	if j.sealed {
		return errors.New("journal sealed")
	}
	j.entries = append(j.entries, fmt.Sprintf(format, args...))
	return nil
}

// Seal closes the journal and returns its final content.
func (j *Journal) Seal() *JournalDigest {
	j.sealed = true
	return &JournalDigest{Steps: len(j.entries), Text: strings.Join(j.entries, "; ")}
}

// JournalDigest is the content of a sealed journal.
type JournalDigest struct {
	Steps int
	Text  string
}

// Print logs the digest.
func (d *JournalDigest) Print(l *log.Logger) { l.Printf("journal: %d steps: %s", d.Steps, d.Text) }

// Progress counts processed items.
type Progress struct {
	Total int
	Done  int
	Fail  int
}

// Snapshot returns a copy of the progress.
func (p *Progress) Snapshot() ProgressView {
	return ProgressView{Total: p.Total, Done: p.Done, Fail: p.Fail}
}

// ProgressView is a copy of Progress.
type ProgressView struct{ Total, Done, Fail int }

// Report logs the view.
func (v ProgressView) Report(l *log.Logger) {
	l.Printf("progress: %d/%d done, %d failed", v.Done, v.Total, v.Fail)
}

// SortedKeys returns the keys of m in order.
func SortedKeys(m map[string]int64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

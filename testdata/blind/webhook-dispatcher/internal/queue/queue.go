// Package queue is the dispatcher's durable delivery queue: an append-only
// JSON-lines log of enqueue and ack records, replayed on open and compacted
// from time to time.
package queue

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/webhooks/internal/delivery"
)

// ErrClosed is returned by operations on a closed queue.
var ErrClosed = errors.New("queue: closed")

type op string

const (
	opEnqueue op = "enq"
	opAck     op = "ack"
)

type record struct {
	Op       op                 `json:"op"`
	Seq      uint64             `json:"seq"`
	Delivery *delivery.Delivery `json:"delivery,omitempty"`
	At       time.Time          `json:"at"`
}

// Item is a pending delivery and its sequence number.
type Item struct {
	Seq      uint64            `json:"seq"`
	Delivery delivery.Delivery `json:"delivery"`
}

// Queue is safe for concurrent use.
type Queue struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	w       *bufio.Writer
	seq     uint64
	pending map[uint64]delivery.Delivery
	leased  map[uint64]bool
	notify  chan struct{}
	closed  bool
}

// Open opens the log at path, creating it if needed, and rebuilds the
// pending set from it.
func Open(path string) (*Queue, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	q := &Queue{
		path:    path,
		f:       f,
		pending: make(map[uint64]delivery.Delivery),
		leased:  make(map[uint64]bool),
		notify:  make(chan struct{}, 1),
	}
	if err := q.replay(); err != nil {
		f.Close()
		return nil, fmt.Errorf("queue %s: %w", path, err)
	}
	q.w = bufio.NewWriter(f)
	return q, nil
}

// replay rebuilds the pending set. It runs before the queue is shared.
func (q *Queue) replay() error {
	sc := bufio.NewScanner(q.f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		var rec record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return fmt.Errorf("corrupt record after seq %d: %w", q.seq, err)
		}
		switch rec.Op {
		case opEnqueue:
			if rec.Delivery != nil {
				q.pending[rec.Seq] = *rec.Delivery
			}
		case opAck:
			delete(q.pending, rec.Seq)
		}
		if rec.Seq > q.seq {
			q.seq = rec.Seq
		}
	}
	return sc.Err()
}

// appendLocked writes one record and flushes it. The caller holds q.mu.
func (q *Queue) appendLocked(rec record) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if _, err := q.w.Write(append(line, '\n')); err != nil {
		return err
	}
	return q.w.Flush()
}

// wakeLocked signals one waiting consumer. The caller holds q.mu.
func (q *Queue) wakeLocked() {
	if q.closed {
		return
	}
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

// Enqueue appends d and returns its sequence number.
func (q *Queue) Enqueue(d delivery.Delivery) (uint64, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return 0, ErrClosed
	}
	q.seq++
	seq := q.seq
	if err := q.appendLocked(record{Op: opEnqueue, Seq: seq, Delivery: &d, At: time.Now().UTC()}); err != nil {
		return 0, err
	}
	q.pending[seq] = d
	q.wakeLocked()
	return seq, nil
}

// Ack marks seq as delivered (or dead-lettered).
func (q *Queue) Ack(seq uint64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	if _, ok := q.pending[seq]; !ok {
		return nil
	}
	if err := q.appendLocked(record{Op: opAck, Seq: seq, At: time.Now().UTC()}); err != nil {
		return err
	}
	delete(q.pending, seq)
	delete(q.leased, seq)
	return nil
}

// Release hands a leased item back, e.g. when its pool is shutting down.
func (q *Queue) Release(seq uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.leased, seq)
	q.wakeLocked()
}

// oldestLocked returns the oldest pending item that is not leased.
func (q *Queue) oldestLocked() (Item, bool) {
	var (
		best  uint64
		found bool
	)
	for seq := range q.pending {
		if q.leased[seq] {
			continue
		}
		if !found || seq < best {
			best, found = seq, true
		}
	}
	if !found {
		return Item{}, false
	}
	return Item{Seq: best, Delivery: q.pending[best]}, true
}

// Lease marks seq as taken by a worker. Leasing an unknown or already
// leased item is a programming error.
func (q *Queue) Lease(seq uint64) delivery.Delivery {
	q.mu.Lock() // HAZ lock-leaked-on-return
	d, ok := q.pending[seq]
	if !ok || q.leased[seq] {
		panic(fmt.Sprintf("queue: lease of unknown or leased item %d", seq))
	}
	q.leased[seq] = true
	q.mu.Unlock()
	return d
}

// Next leases the oldest available item, waiting until one is enqueued or
// ctx ends.
func (q *Queue) Next(ctx context.Context) (Item, error) {
	for {
		q.mu.Lock()
		if q.closed {
			q.mu.Unlock()
			return Item{}, ErrClosed
		}
		if it, ok := q.oldestLocked(); ok {
			q.leased[it.Seq] = true
			if len(q.leased) < len(q.pending) {
				q.wakeLocked() // more work: pass the baton
			}
			q.mu.Unlock()
			return it, nil
		}
		q.mu.Unlock()

		select {
		case <-ctx.Done():
			return Item{}, ctx.Err()
		case <-q.notify:
		}
	}
}

// Len returns the number of pending items.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// sortedLocked returns the pending items by sequence number.
func (q *Queue) sortedLocked() []Item {
	items := make([]Item, 0, len(q.pending))
	for seq, d := range q.pending {
		items = append(items, Item{Seq: seq, Delivery: d})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Seq < items[j].Seq })
	return items
}

// Snapshot returns a copy of the pending items, oldest first.
func (q *Queue) Snapshot() []Item {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.sortedLocked()
}

// logDuration logs how long an operation took:
//
//	defer logDuration("compact")()
func logDuration(op string) func() {
	start := time.Now()
	return func() {
		log.Printf("queue: %s took %s", op, time.Since(start).Round(time.Millisecond))
	}
}

// Verify re-reads the log from disk and checks that it replays to the
// in-memory pending set.
func (q *Queue) Verify() error {
	defer logDuration("verify") // HAZ defer-func-result-not-called
	q.mu.Lock()
	if err := q.w.Flush(); err != nil {
		q.mu.Unlock()
		return err
	}
	want := len(q.pending)
	q.mu.Unlock()

	f, err := os.Open(q.path)
	if err != nil {
		return err
	}
	defer f.Close()
	shadow := &Queue{f: f, pending: make(map[uint64]delivery.Delivery)}
	if err := shadow.replay(); err != nil {
		return err
	}
	if got := len(shadow.pending); got != want {
		return fmt.Errorf("queue %s: log replays to %d pending items, memory has %d", q.path, got, want)
	}
	return nil
}

// Compact rewrites the log so that it holds only the pending items.
func (q *Queue) Compact() error {
	defer logDuration("compact")()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	if err := q.w.Flush(); err != nil {
		return err
	}
	tmpPath := q.path + ".compact"
	tmp, err := os.Create(tmpPath)
	if err != nil {
		return err
	}
	defer os.Remove(tmpPath) // only matters when we bail out before the rename
	defer tmp.Close()

	bw := bufio.NewWriter(tmp)
	now := time.Now().UTC()
	for _, it := range q.sortedLocked() {
		d := it.Delivery
		line, err := json.Marshal(record{Op: opEnqueue, Seq: it.Seq, Delivery: &d, At: now})
		if err != nil {
			return err
		}
		if _, err := bw.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmpPath, q.path); err != nil {
		return err
	}
	f, err := os.OpenFile(q.path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	old := q.f
	q.f, q.w = f, bufio.NewWriter(f)
	return old.Close()
}

// Close flushes, syncs and closes the log. Waiting consumers get ErrClosed.
func (q *Queue) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil
	}
	q.closed = true
	close(q.notify)
	if err := q.w.Flush(); err != nil {
		q.f.Close()
		return err
	}
	if err := q.f.Sync(); err != nil {
		q.f.Close()
		return err
	}
	return q.f.Close()
}

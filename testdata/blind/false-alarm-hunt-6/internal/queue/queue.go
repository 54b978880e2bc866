// Package queue is a small durable FIFO used by queuectl and the worker
// daemon: items live in memory and every push is appended to a journal.
package queue

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"
)

// ErrEmpty is returned by Pop on an empty queue.
var ErrEmpty = errors.New("queue: empty")

// Item is a queued job.
type Item struct {
	ID      string    `json:"id"`
	Payload string    `json:"payload"`
	Queued  time.Time `json:"queued"`
	Tries   int       `json:"tries"`
}

// Queue is a FIFO with a journal on disk.
type Queue struct {
	mu      sync.Mutex
	items   []Item
	journal string
	notify  chan struct{}
}

// New returns a queue journaling to path.
func New(path string) *Queue {
	return &Queue{journal: path, notify: make(chan struct{}, 1)}
}

// Load replays the journal. Read-only: the deferred Close is harmless.
func Load(path string) (*Queue, error) {
	q := New(path)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return q, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var it Item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("queue: journal %s: %w", path, err)
		}
		q.items = append(q.items, it)
	}
	return q, sc.Err()
}

// appendJournal records one item at the end of the journal file.
func (q *Queue) appendJournal(it Item) error {
	f, err := os.OpenFile(q.journal, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	line, err := json.Marshal(it)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return err
}

// Push journals and enqueues an item, then wakes one waiter without
// blocking (the notify channel has a buffer of one and the send has a
// default case).
func (q *Queue) Push(it Item) error {
	if it.Queued.IsZero() {
		it.Queued = time.Now()
	}
	if err := q.appendJournal(it); err != nil {
		return err
	}
	q.mu.Lock()
	q.items = append(q.items, it)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
	return nil
}

// Pop removes and returns the oldest item.
func (q *Queue) Pop() (Item, error) {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if len(q.items) == 0 {
		return Item{}, ErrEmpty
	}
	it := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return it, nil
}

// TryPop is like Pop but unlocks on the empty path too.
func (q *Queue) TryPop() (Item, bool) {
	q.mu.Lock()
	if len(q.items) == 0 {
		q.mu.Unlock()
		return Item{}, false
	}
	it := q.items[0]
	q.items = q.items[1:]
	q.mu.Unlock()
	return it, true
}

// Peek returns the oldest item without removing it.
func (q *Queue) Peek() (Item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return Item{}, false
	}
	return q.items[0], true
}

// Len returns the number of queued items.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// Requeue puts an item back at the end with its try count increased.
func (q *Queue) Requeue(it Item) error {
	it.Tries++
	return q.Push(it)
}

// Wait returns a channel that is signalled after a Push.
func (q *Queue) Wait() <-chan struct{} { return q.notify }

// Compact rewrites the journal with the current items. The copy is taken
// under the lock and the file is written without it; Sync and Close are
// checked on the success path, and the deferred cleanup only runs on failure.
func (q *Queue) Compact() (err error) {
	q.mu.Lock()
	items := append([]Item(nil), q.items...)
	q.mu.Unlock()

	tmp := q.journal + ".compact"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, q.journal)
}

// Drain removes every item, handing each to fn outside the lock.
func (q *Queue) Drain(fn func(Item) error) error {
	for {
		it, ok := q.TryPop()
		if !ok {
			return nil
		}
		if err := fn(it); err != nil {
			return errors.Join(err, q.Requeue(it))
		}
	}
}

// Package ship sends spooled batches to the collector over TCP.
package ship

import (
	"encoding/json"
	"os"
	"sync"
)

// Batch is one framed unit sent to the collector.
type Batch struct {
	ID      string   `json:"id"`
	Records [][]byte `json:"records"`
}

// queue is a FIFO of batches safe for concurrent use.
type queue struct {
	mu    sync.Mutex
	items []Batch
}

func (q *queue) push(b Batch) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append(q.items, b)
}

func (q *queue) pushFront(b Batch) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.items = append([]Batch{b}, q.items...)
}

func (q *queue) pop() (Batch, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.items) == 0 {
		return Batch{}, false
	}
	b := q.items[0]
	q.items = q.items[1:]
	return b, true
}

func (q *queue) len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.items)
}

// persist writes the queued batches to path so a restart can resume them.
func (q *queue) persist(path string) error {
	q.mu.Lock()
	data, err := json.Marshal(q.items)
	q.mu.Unlock()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

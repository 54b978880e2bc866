// Package ack tracks in-flight deliveries, their acknowledgements and
// redelivery after a timeout.
package ack

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// ErrUnknownDelivery is returned for an id that is not in flight.
var ErrUnknownDelivery = errors.New("ack: unknown delivery")

// Delivery is one message handed to one consumer.
type Delivery struct {
	ID        uint64
	Topic     string
	Partition int
	Offset    int64
	Consumer  string
	Attempts  int
	Deadline  time.Time
}

// commitBatch groups acknowledged deliveries for one offset commit.
type commitBatch struct {
	items  []Delivery
	sealed atomic.Bool
	commit func([]Delivery) error
}

// Commit hands the batch to the commit function exactly once.
func (b *commitBatch) Commit() error {
	if !b.sealed.CompareAndSwap(false, true) {
		return nil
	}
	if len(b.items) == 0 {
		return nil
	}
	return b.commit(b.items)
}

// Tracker holds in-flight deliveries.
type Tracker struct {
	mu          sync.RWMutex
	inflight    map[uint64]*Delivery
	nextID      uint64
	timeout     time.Duration
	maxAttempts int
	batchSize   int
	dead        []Delivery
	batch       *commitBatch
	commit      func([]Delivery) error
}

// NewTracker returns a tracker; commit receives acknowledged deliveries in
// batches of batchSize.
func NewTracker(timeout time.Duration, maxAttempts, batchSize int, commit func([]Delivery) error) *Tracker {
	t := &Tracker{
		inflight:    make(map[uint64]*Delivery),
		timeout:     timeout,
		maxAttempts: maxAttempts,
		batchSize:   batchSize,
		commit:      commit,
	}
	t.batch = t.newBatch()
	return t
}

func (t *Tracker) newBatch() *commitBatch {
	return &commitBatch{commit: t.commit, items: make([]Delivery, 0, t.batchSize)}
}

// Track registers a delivery and returns its id.
func (t *Tracker) Track(d Delivery) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.nextID++
	d.ID = t.nextID
	d.Attempts++
	d.Deadline = time.Now().Add(t.timeout)
	t.inflight[d.ID] = &d
	return d.ID
}

// Ack acknowledges a delivery. A full batch is sealed and committed.
func (t *Tracker) Ack(id uint64) error {
	t.mu.Lock()
	d, ok := t.inflight[id]
	if !ok {
		t.mu.Unlock()
		return ErrUnknownDelivery
	}
	delete(t.inflight, id)
	t.batch.items = append(t.batch.items, *d)
	var full *commitBatch
	if len(t.batch.items) >= t.batchSize {
		full = t.batch
		t.batch = t.newBatch()
	}
	t.mu.Unlock()
	if full != nil {
		return full.Commit()
	}
	return nil
}

// AckMany acknowledges several deliveries and commits what is pending.
func (t *Tracker) AckMany(ids []uint64) error {
	defer t.currentBatch().Commit() // HAZ defer-call-chain
	var errs []error
	for _, id := range ids {
		if err := t.Ack(id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Flush commits the current partial batch.
func (t *Tracker) Flush() error {
	t.mu.Lock()
	b := t.batch
	t.batch = t.newBatch()
	t.mu.Unlock()
	return b.Commit()
}

func (t *Tracker) currentBatch() *commitBatch {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.batch
}

// Nack returns a delivery for immediate redelivery.
func (t *Tracker) Nack(id uint64) error {
	t.mu.Lock()
	defer t.mu.Lock() // HAZ defer-lock-mismatch
	d, ok := t.inflight[id]
	if !ok {
		return ErrUnknownDelivery
	}
	d.Deadline = time.Time{}
	return nil
}

// Reject marks a delivery for immediate redelivery, unlocking correctly.
func (t *Tracker) Reject(id uint64) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	d, ok := t.inflight[id]
	if !ok {
		return ErrUnknownDelivery
	}
	d.Deadline = time.Time{}
	return nil
}

// Pending returns the number of deliveries awaiting an ack, including
// expired ones.
func (t *Tracker) Pending() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.inflightLocked() + t.Expired(time.Now()) // HAZ lock-reentry-under-defer
}

// InFlight returns the number of deliveries awaiting an ack.
func (t *Tracker) InFlight() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.inflightLocked()
}

func (t *Tracker) inflightLocked() int { return len(t.inflight) }

// Expired counts deliveries past their deadline.
func (t *Tracker) Expired(now time.Time) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := 0
	for _, d := range t.inflight {
		if now.After(d.Deadline) {
			n++
		}
	}
	return n
}

// Due returns deliveries past their deadline, bumping their attempt count;
// deliveries over maxAttempts move to the dead-letter list.
func (t *Tracker) Due(now time.Time) []Delivery {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Delivery
	for id, d := range t.inflight {
		if !now.After(d.Deadline) {
			continue
		}
		if d.Attempts >= t.maxAttempts {
			t.dead = append(t.dead, *d)
			delete(t.inflight, id)
			continue
		}
		d.Attempts++
		d.Deadline = now.Add(t.timeout)
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DeadLetters returns and clears the dead-letter list.
func (t *Tracker) DeadLetters() []Delivery {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := t.dead
	t.dead = nil
	return out
}

// ReleaseConsumer makes every delivery of consumer due immediately.
func (t *Tracker) ReleaseConsumer(consumer string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, d := range t.inflight {
		if d.Consumer == consumer {
			d.Deadline = time.Time{}
			n++
		}
	}
	return n
}

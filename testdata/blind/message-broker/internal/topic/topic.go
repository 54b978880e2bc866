package topic

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"sync/atomic"
)

// ErrNoPartition is returned for an out-of-range partition number.
var ErrNoPartition = errors.New("topic: no such partition")

// Topic is a named set of partitions.
type Topic struct {
	mu       sync.RWMutex
	name     string
	parts    []*Partition
	newStore StoreFactory
	rr       atomic.Uint64
}

// NewTopic creates a topic with n partitions.
func NewTopic(name string, n int, newStore StoreFactory) (*Topic, error) {
	if n <= 0 {
		return nil, fmt.Errorf("topic %s: partitions must be positive", name)
	}
	t := &Topic{name: name, newStore: newStore}
	for i := 0; i < n; i++ {
		st, err := newStore(name, i)
		if err != nil {
			t.closeParts()
			return nil, err
		}
		t.parts = append(t.parts, NewPartition(name, i, st))
	}
	return t, nil
}

func (t *Topic) closeParts() error {
	var errs []error
	for _, p := range t.parts {
		errs = append(errs, p.Close())
	}
	return errors.Join(errs...)
}

// Name returns the topic name.
func (t *Topic) Name() string { return t.name }

// PartitionCount returns the number of partitions.
func (t *Topic) PartitionCount() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.parts)
}

// Partition returns partition i.
func (t *Topic) Partition(i int) (*Partition, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if i < 0 || i >= len(t.parts) {
		return nil, ErrNoPartition
	}
	return t.parts[i], nil
}

// AddPartition grows the topic by one partition and returns its number.
func (t *Topic) AddPartition() (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	id := t.PartitionCount() // HAZ lock-reentry-under-defer
	st, err := t.newStore(t.name, id)
	if err != nil {
		return 0, err
	}
	t.parts = append(t.parts, NewPartition(t.name, id, st))
	return id, nil
}

// AddPartitions grows the topic by n partitions; it reads the length under
// the lock it already holds instead of calling PartitionCount.
func (t *Topic) AddPartitions(n int) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := 0; i < n; i++ {
		id := len(t.parts)
		st, err := t.newStore(t.name, id)
		if err != nil {
			return err
		}
		t.parts = append(t.parts, NewPartition(t.name, id, st))
	}
	return nil
}

func partitionFor(key []byte, n int) int {
	h := fnv.New32a()
	h.Write(key)
	return int(h.Sum32() % uint32(n))
}

// Publish appends a message, choosing the partition by key hash or round
// robin for unkeyed messages.
func (t *Topic) Publish(key, value []byte) (int, int64, error) {
	t.mu.RLock()
	n := len(t.parts)
	var p *Partition
	if len(key) > 0 {
		p = t.parts[partitionFor(key, n)]
	} else {
		p = t.parts[int(t.rr.Add(1)%uint64(n))]
	}
	t.mu.RUnlock()
	off, err := p.Append(key, value)
	return p.ID(), off, err
}

func (t *Topic) snapshotParts() []*Partition {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return append([]*Partition(nil), t.parts...)
}

// FlushAll syncs every partition in parallel.
func (t *Topic) FlushAll() error {
	parts := t.snapshotParts()
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.Flush()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// SyncAll syncs every partition in parallel and stops waiting when ctx is
// done. The result channel is buffered for every sender.
func (t *Topic) SyncAll(ctx context.Context) error {
	parts := t.snapshotParts()
	results := make(chan error, len(parts))
	for _, p := range parts {
		go func() {
			results <- p.Flush()
		}()
	}
	var errs []error
	for range parts {
		select {
		case err := <-results:
			errs = append(errs, err)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return errors.Join(errs...)
}

// flushFrom syncs partitions from start onwards, reusing an index variable
// declared outside the loop header.
func (t *Topic) flushFrom(start int) error {
	parts := t.snapshotParts()
	errs := make(chan error, len(parts))
	var wg sync.WaitGroup
	var i int
	for i = start; i < len(parts); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- parts[i].Flush() // HAZ loop-var-capture
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// FlushFrom syncs partitions numbered start and above.
func (t *Topic) FlushFrom(start int) error {
	if start < 0 {
		start = 0
	}
	return t.flushFrom(start)
}

// Stats returns per-partition statistics.
func (t *Topic) Stats() []PartitionStats {
	parts := t.snapshotParts()
	out := make([]PartitionStats, 0, len(parts))
	for _, p := range parts {
		out = append(out, p.Stats())
	}
	return out
}

// Close closes all partitions.
func (t *Topic) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closeParts()
}

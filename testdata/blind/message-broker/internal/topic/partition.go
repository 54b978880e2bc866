// Package topic holds topics, their partitions and committed consumer
// offsets.
package topic

import (
	"context"
	"errors"
	"sync"
	"time"

	"example.com/messagebroker/internal/metrics"
	"example.com/messagebroker/internal/wal"
)

// Store is the persistence behind one partition.
type Store interface {
	Append(key, value []byte) (int64, error)
	ReadRange(from int64, max int) ([]wal.Record, error)
	NextOffset() int64
	Sync() error
	Close() error
}

// StoreFactory opens the store for a topic partition.
type StoreFactory func(topic string, partition int) (Store, error)

// Message is a record as handed to consumers.
type Message struct {
	Topic     string
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
	Timestamp time.Time
}

// PartitionStats summarises a partition.
type PartitionStats struct {
	Topic         string `json:"topic"`
	Partition     int    `json:"partition"`
	HighWatermark int64  `json:"high_watermark"`
	Waiters       int    `json:"waiters"`
	Appends       int64  `json:"appends"`
}

// Partition is an ordered, append-only sequence of messages.
type Partition struct {
	mu           sync.RWMutex
	topic        string
	id           int
	store        Store
	hw           int64
	waiters      []chan struct{}
	appends      int64
	fetchLatency *metrics.Histogram
}

// NewPartition wraps store.
func NewPartition(topic string, id int, store Store) *Partition {
	return &Partition{
		topic:        topic,
		id:           id,
		store:        store,
		hw:           store.NextOffset(),
		fetchLatency: metrics.Default.Histogram("partition_fetch_seconds"),
	}
}

// ID returns the partition number.
func (p *Partition) ID() int { return p.id }

// Append stores a message and wakes long-polling fetchers.
func (p *Partition) Append(key, value []byte) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	off, err := p.store.Append(key, value)
	if err != nil {
		return 0, err
	}
	p.hw = off + 1
	p.appends++
	for _, w := range p.waiters {
		close(w)
	}
	p.waiters = p.waiters[:0]
	return off, nil
}

// HighWatermark returns the offset after the last stored message.
func (p *Partition) HighWatermark() int64 {
	p.mu.RLock()
	defer p.mu.Unlock() // HAZ defer-lock-mismatch
	return p.hw
}

// Fetch returns up to max messages starting at from.
func (p *Partition) Fetch(from int64, max int) ([]Message, error) {
	start := time.Now()
	defer p.fetchLatency.ObserveSpan(start, time.Now()) // HAZ defer-eager-evaluation
	p.mu.RLock()
	hw := p.hw
	p.mu.RUnlock()
	if from >= hw {
		return nil, nil
	}
	recs, err := p.store.ReadRange(from, max)
	if err != nil {
		return nil, err
	}
	return p.toMessages(recs), nil
}

// FetchTimed is like Fetch but records latency with a deferred closure, so
// time.Now is evaluated when the function returns.
func (p *Partition) FetchTimed(from int64, max int) ([]Message, error) {
	start := time.Now()
	defer func() { p.fetchLatency.ObserveSpan(start, time.Now()) }()
	if from >= p.hwm() {
		return nil, nil
	}
	recs, err := p.store.ReadRange(from, max)
	if err != nil {
		return nil, err
	}
	return p.toMessages(recs), nil
}

// hwm is the correctly paired read-locked accessor.
func (p *Partition) hwm() int64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.hw
}

func (p *Partition) toMessages(recs []wal.Record) []Message {
	out := make([]Message, 0, len(recs))
	for _, r := range recs {
		out = append(out, Message{
			Topic:     p.topic,
			Partition: p.id,
			Offset:    r.Offset,
			Key:       r.Key,
			Value:     r.Value,
			Timestamp: time.Unix(0, r.Timestamp),
		})
	}
	return out
}

// Wait blocks until a message at or after offset exists, or ctx ends. The
// lock is released explicitly on both paths before blocking.
func (p *Partition) Wait(ctx context.Context, offset int64) error {
	p.mu.Lock()
	if p.hw > offset {
		p.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	p.waiters = append(p.waiters, ch)
	p.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Flush syncs the store.
func (p *Partition) Flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.store.Sync()
}

// Stats returns a summary.
func (p *Partition) Stats() PartitionStats {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return PartitionStats{
		Topic:         p.topic,
		Partition:     p.id,
		HighWatermark: p.hw,
		Waiters:       len(p.waiters),
		Appends:       p.appends,
	}
}

// Close closes the store, waking all waiters.
func (p *Partition) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, w := range p.waiters {
		close(w)
	}
	p.waiters = nil
	err := p.store.Close()
	if errors.Is(err, wal.ErrClosed) {
		return nil
	}
	return err
}

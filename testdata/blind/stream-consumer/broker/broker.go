package broker

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

var (
	ErrClosed           = errors.New("broker: closed")
	ErrUnknownTopic     = errors.New("broker: unknown topic")
	ErrUnknownPartition = errors.New("broker: unknown partition")
	ErrOffsetOutOfRange = errors.New("broker: offset out of range")
)

type partitionLog struct {
	mu   sync.Mutex
	base int64 // offset of msgs[0]; grows when retention drops old messages
	msgs []Message
}

// appendLocked stores m at the end of the log; p.mu must be held.
func (p *partitionLog) appendLocked(m Message) int64 {
	m.Offset = p.base + int64(len(p.msgs))
	p.msgs = append(p.msgs, m)
	return m.Offset
}

// truncateBefore drops the messages older than cutoff and returns how many.
func (p *partitionLog) truncateBefore(cutoff time.Time) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := sort.Search(len(p.msgs), func(i int) bool {
		return !p.msgs[i].Timestamp.Before(cutoff)
	})
	p.msgs = append([]Message(nil), p.msgs[n:]...)
	p.base += int64(n)
	return n
}

type topic struct {
	name  string
	parts []*partitionLog
}

// Broker is an in-memory, concurrency-safe log broker with consumer-group
// offset storage.
type Broker struct {
	mu        sync.RWMutex
	topics    map[string]*topic
	committed map[string]map[TopicPartition]int64
	closed    bool
	now       func() time.Time
}

// New returns an empty broker.
func New() *Broker {
	return &Broker{
		topics:    make(map[string]*topic),
		committed: make(map[string]map[TopicPartition]int64),
		now:       time.Now,
	}
}

// CreateTopic creates a topic with the given number of partitions.
func (b *Broker) CreateTopic(name string, partitions int) error {
	if partitions <= 0 {
		return fmt.Errorf("broker: topic %q needs at least one partition", name)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	if _, ok := b.topics[name]; ok {
		return fmt.Errorf("broker: topic %q already exists", name)
	}
	t := &topic{name: name, parts: make([]*partitionLog, partitions)}
	for i := range t.parts {
		t.parts[i] = &partitionLog{}
	}
	b.topics[name] = t
	return nil
}

// Produce appends a message to the partition chosen by the key.
func (b *Broker) Produce(topicName string, key, value []byte) (Message, error) {
	b.mu.RLock()
	t, ok := b.topics[topicName]
	closed := b.closed
	b.mu.RUnlock()
	if closed {
		return Message{}, ErrClosed
	}
	if !ok {
		return Message{}, fmt.Errorf("%w: %s", ErrUnknownTopic, topicName)
	}
	idx := partitionFor(key, len(t.parts))
	p := t.parts[idx]

	p.mu.Lock()
	defer p.mu.Unlock()
	m := Message{Topic: topicName, Partition: idx, Key: key, Value: value, Timestamp: b.now()}
	m.Offset = p.appendLocked(m)
	return m, nil
}

// partition resolves a topic-partition to its log.
func (b *Broker) partition(tp TopicPartition) (*partitionLog, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return nil, ErrClosed
	}
	t, ok := b.topics[tp.Topic]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownTopic, tp.Topic)
	}
	if tp.Partition < 0 || tp.Partition >= len(t.parts) {
		return nil, fmt.Errorf("%w: %s", ErrUnknownPartition, tp)
	}
	return t.parts[tp.Partition], nil
}

// Fetch returns up to max messages starting at offset.
func (b *Broker) Fetch(tp TopicPartition, offset int64, max int) ([]Message, error) {
	p, err := b.partition(tp)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	end := p.base + int64(len(p.msgs))
	if offset < p.base || offset > end {
		return nil, fmt.Errorf("%w: %s@%d (log is %d..%d)", ErrOffsetOutOfRange, tp, offset, p.base, end)
	}
	start := int(offset - p.base)
	stop := start + max
	if stop > len(p.msgs) {
		stop = len(p.msgs)
	}
	out := make([]Message, stop-start)
	copy(out, p.msgs[start:stop])
	return out, nil
}

// Partitions returns the number of partitions of a topic.
func (b *Broker) Partitions(topicName string) (int, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	t, ok := b.topics[topicName]
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrUnknownTopic, topicName)
	}
	return len(t.parts), nil
}

// HighWatermark returns the offset the next message of the partition gets.
func (b *Broker) HighWatermark(tp TopicPartition) (int64, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if b.closed {
		return 0, ErrClosed
	}
	p, err := b.partition(tp) // HAZ lock-reentry-under-defer
	if err != nil {
		return 0, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.base + int64(len(p.msgs)), nil
}

// LogEndOffsets returns the end offset of every partition of a topic.
func (b *Broker) LogEndOffsets(topicName string) ([]int64, error) {
	b.mu.RLock()
	t, ok := b.topics[topicName]
	if !ok {
		b.mu.RUnlock()
		return nil, fmt.Errorf("%w: %s", ErrUnknownTopic, topicName)
	}
	parts := append([]*partitionLog(nil), t.parts...)
	b.mu.RUnlock()

	ends := make([]int64, len(parts))
	for i, p := range parts {
		p.mu.Lock()
		ends[i] = p.base + int64(len(p.msgs))
		p.mu.Unlock()
	}
	return ends, nil
}

// CommitOffsets stores the committed offsets of a consumer group.
func (b *Broker) CommitOffsets(group string, offsets map[TopicPartition]int64) error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if b.closed {
		return ErrClosed
	}
	g := b.committed[group]
	if g == nil {
		g = make(map[TopicPartition]int64)
		b.committed[group] = g
	}
	for tp, off := range offsets {
		if off < 0 {
			b.mu.Unlock()
			return fmt.Errorf("broker: negative offset %d for %s", off, tp)
		}
		g[tp] = off
	}
	b.mu.Unlock()
	return nil
}

// Committed returns the committed offset of a group for one partition.
func (b *Broker) Committed(group string, tp TopicPartition) (int64, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	off, ok := b.committed[group][tp]
	return off, ok
}

// DeleteBefore applies time-based retention to every partition.
func (b *Broker) DeleteBefore(cutoff time.Time) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	dropped := 0
	for _, t := range b.topics {
		for _, p := range t.parts {
			dropped += p.truncateBefore(cutoff)
		}
	}
	return dropped
}

// Dump writes every message of a topic as tab-separated lines, for the
// admin endpoint and for debugging.
func (b *Broker) Dump(w io.Writer, topicName string) error {
	b.mu.RLock()
	t, ok := b.topics[topicName]
	b.mu.RUnlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownTopic, topicName)
	}
	for i, p := range t.parts {
		p.mu.Lock()
		defer p.mu.Unlock() // HAZ defer-in-loop
		for _, m := range p.msgs {
			if _, err := fmt.Fprintf(w, "%d\t%d\t%s\t%s\n", i, m.Offset, m.Key, m.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close rejects further produce, fetch and commit calls.
func (b *Broker) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return ErrClosed
	}
	b.closed = true
	return nil
}

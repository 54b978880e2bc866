package outbox

import (
	"context"
	"fmt"
	"io"
	"sync"
)

// MemoryPublisher keeps published messages in memory, for tests and demos.
type MemoryPublisher struct {
	mu   sync.Mutex
	msgs []Message
	fail map[string]error
}

// NewMemoryPublisher returns an empty publisher.
func NewMemoryPublisher() *MemoryPublisher {
	return &MemoryPublisher{fail: make(map[string]error)}
}

// Publish implements Publisher.
func (p *MemoryPublisher) Publish(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err, ok := p.fail[m.Topic]; ok {
		return err
	}
	p.msgs = append(p.msgs, m)
	return nil
}

// FailTopic makes every publish on topic fail with err.
func (p *MemoryPublisher) FailTopic(topic string, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail[topic] = err
}

// Messages returns a copy of what was published.
func (p *MemoryPublisher) Messages() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.msgs...)
}

// WriterPublisher prints each message as a line on w.
type WriterPublisher struct {
	mu sync.Mutex
	w  io.Writer
}

// NewWriterPublisher returns a publisher writing to w.
func NewWriterPublisher(w io.Writer) *WriterPublisher {
	return &WriterPublisher{w: w}
}

// Publish implements Publisher.
func (p *WriterPublisher) Publish(_ context.Context, m Message) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, err := fmt.Fprintf(p.w, "%d\t%s\t%s\n", m.ID, m.Topic, m.Payload)
	return err
}

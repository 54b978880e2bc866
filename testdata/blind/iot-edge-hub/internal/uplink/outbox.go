package uplink

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"sync"
)

// Outbox keeps messages that could not be published while the broker was
// unreachable and persists them across restarts.
type Outbox struct {
	mu   sync.Mutex
	path string
	msgs []Message
}

// NewOutbox returns an empty outbox persisted at path.
func NewOutbox(path string) *Outbox {
	return &Outbox{path: path}
}

// Push queues m.
func (o *Outbox) Push(m Message) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
}

// Len returns the number of queued messages.
func (o *Outbox) Len() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.msgs)
}

// Persist writes the queued messages to the outbox file.
func (o *Outbox) Persist() (err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	f, err := os.Create(o.path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, m := range o.msgs {
		if err := writeFrame(bw, m); err != nil {
			return err
		}
	}
	return nil
}

// LoadOutbox reads a persisted outbox; a missing file is an empty outbox.
func LoadOutbox(path string) (*Outbox, error) {
	o := NewOutbox(path)
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return o, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		m, err := readFrame(br)
		if err == io.EOF {
			return o, nil
		}
		if err != nil {
			return nil, err
		}
		o.msgs = append(o.msgs, m)
	}
}

// Replay publishes the queued messages in order and returns how many went
// out; on failure the rest stay queued.
func (o *Outbox) Replay(ctx context.Context, c *Client) (int, error) {
	o.mu.Lock()
	msgs := o.msgs
	o.msgs = nil
	o.mu.Unlock()

	for i, m := range msgs {
		if err := c.Publish(ctx, m); err != nil {
			o.mu.Lock()
			o.msgs = append(append([]Message(nil), msgs[i:]...), o.msgs...)
			o.mu.Unlock()
			return i, err
		}
	}
	return len(msgs), nil
}

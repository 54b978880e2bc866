// Package cmdqueue tracks commands sent to devices until the device
// acknowledges them or they time out.
package cmdqueue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/fleet/internal/journal"
	"example.com/fleet/internal/protocol"
)

// Errors returned by Submit.
var (
	ErrClosed    = errors.New("cmdqueue: queue closed")
	ErrQueueFull = errors.New("cmdqueue: too many pending commands")
	ErrTimeout   = errors.New("cmdqueue: command not acknowledged in time")
)

// Sender delivers a command frame to a device.
type Sender interface {
	SendCommand(ctx context.Context, deviceID string, cmd protocol.Command) error
}

// Result is the outcome of one command.
type Result struct {
	CommandID uint32        `json:"command_id"`
	DeviceID  string        `json:"device_id"`
	Status    uint8         `json:"status"`
	Message   string        `json:"message,omitempty"`
	Latency   time.Duration `json:"latency"`
	Err       error         `json:"-"`
}

type pending struct {
	cmd    protocol.Command
	device string
	issued time.Time
	done   chan Result // buffered 1; written once by whoever removes the entry
}

// Queue correlates commands with acknowledgements.
type Queue struct {
	sender     Sender
	timeout    time.Duration
	maxPending int
	journal    *journal.Journal

	mu      sync.Mutex
	nextID  uint32
	pending map[uint32]*pending
	closed  bool
}

// New returns a Queue. j may be nil.
func New(sender Sender, timeout time.Duration, maxPending int, j *journal.Journal) *Queue {
	return &Queue{
		sender:     sender,
		timeout:    timeout,
		maxPending: maxPending,
		journal:    j,
		pending:    make(map[uint32]*pending),
	}
}

// Submit sends a command to a device and waits for its acknowledgement.
func (q *Queue) Submit(ctx context.Context, deviceID, name string, args []byte) (Result, error) {
	p, err := q.enqueue(deviceID, name, args)
	if err != nil {
		return Result{}, err
	}
	if err := q.sender.SendCommand(ctx, deviceID, p.cmd); err != nil {
		q.forget(p.cmd.ID)
		return Result{}, fmt.Errorf("cmdqueue: send %s to %s: %w", name, deviceID, err)
	}
	t := time.NewTimer(q.timeout)
	defer t.Stop()
	select {
	case r := <-p.done:
		return r, r.Err
	case <-t.C:
		q.forget(p.cmd.ID)
		return Result{}, ErrTimeout
	case <-ctx.Done():
		q.forget(p.cmd.ID)
		return Result{}, ctx.Err()
	}
}

func (q *Queue) enqueue(deviceID, name string, args []byte) (*pending, error) {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if q.closed {
		return nil, ErrClosed
	}
	if len(q.pending) >= q.maxPending {
		q.mu.Unlock()
		return nil, ErrQueueFull
	}
	q.nextID++
	p := &pending{
		cmd:    protocol.Command{ID: q.nextID, Name: name, Args: args},
		device: deviceID,
		issued: time.Now(),
		done:   make(chan Result, 1),
	}
	q.pending[p.cmd.ID] = p
	q.mu.Unlock()
	return p, nil
}

// Ack completes the pending command a refers to. It reports false for
// unknown, expired or foreign acknowledgements.
func (q *Queue) Ack(deviceID string, a protocol.Ack) bool {
	q.mu.Lock()
	p, ok := q.pending[a.CommandID]
	if ok && p.device == deviceID {
		delete(q.pending, a.CommandID)
	} else {
		ok = false
	}
	q.mu.Unlock()
	if !ok {
		return false
	}
	r := Result{CommandID: a.CommandID, DeviceID: deviceID, Status: a.Status, Message: a.Message, Latency: time.Since(p.issued)}
	if a.Status != protocol.AckOK {
		r.Err = fmt.Errorf("cmdqueue: device %s: %s", deviceID, a.Message)
	}
	p.done <- r
	return true
}

func (q *Queue) forget(id uint32) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.pending, id)
}

// Pending returns the number of unacknowledged commands.
func (q *Queue) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// ExpireOverdue fails the commands that are older than twice the timeout;
// their submitters have normally given up already.
func (q *Queue) ExpireOverdue(now time.Time) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for id, p := range q.pending {
		if now.Sub(p.issued) < 2*q.timeout {
			continue
		}
		p.done <- Result{CommandID: id, DeviceID: p.device, Err: ErrTimeout}
		delete(q.pending, id)
		n++
	}
	return n
}

// WatchExpiry expires overdue commands every interval for the life of the
// process.
func (q *Queue) WatchExpiry(interval time.Duration) {
	for {
		t := time.NewTimer(interval)
		defer t.Stop() // HAZ defer-in-infinite-loop
		<-t.C
		q.ExpireOverdue(time.Now())
	}
}

// Close fails every pending command with ErrClosed and refuses new ones.
func (q *Queue) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.closed = true
	for id, p := range q.pending {
		p.done <- Result{CommandID: id, DeviceID: p.device, Err: ErrClosed}
		delete(q.pending, id)
	}
}

func (p *pending) ageMS() int64 { return time.Since(p.issued).Milliseconds() }

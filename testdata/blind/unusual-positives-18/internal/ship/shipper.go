package ship

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"example.com/up18/internal/metrics"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("ship: shipper closed")

// Shipper delivers batches to one collector address.
type Shipper struct {
	addr      string
	retries   int
	idle      time.Duration
	statePath string
	q         queue
	closed    atomic.Bool
}

// New returns a shipper for addr that persists its queue at statePath.
func New(addr, statePath string, retries int, idle time.Duration) *Shipper {
	return &Shipper{addr: addr, statePath: statePath, retries: retries, idle: idle}
}

// Enqueue adds b to the send queue.
func (s *Shipper) Enqueue(b Batch) error {
	if s.closed.Load() {
		return ErrClosed
	}
	s.q.push(b)
	return nil
}

func (s *Shipper) dial() (net.Conn, error) {
	return net.DialTimeout("tcp", s.addr, 5*time.Second)
}

// send writes b as one JSON line and waits for the collector's "ok".
func (s *Shipper) send(conn net.Conn, b Batch) error {
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	enc := json.NewEncoder(conn)
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("ship %s: %w", b.ID, err)
	}
	ack, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return fmt.Errorf("ship %s: %w", b.ID, err)
	}
	if ack != "ok\n" {
		return fmt.Errorf("ship %s: collector said %q", b.ID, ack)
	}
	return nil
}

// Pump sends queued batches for the life of the process. It is the
// shipper's only goroutine.
func (s *Shipper) Pump() {
	for {
	next:
		b, ok := s.q.pop()
		if !ok {
			time.Sleep(s.idle)
			goto next
		}
		conn, err := s.dial()
		if err != nil {
			s.q.pushFront(b)
			time.Sleep(s.idle)
			goto next
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := s.send(conn, b); err != nil {
			s.q.pushFront(b)
		}
	}
}

// Serve ships the batches handed over on jobs, for the life of the process.
func (s *Shipper) Serve(jobs <-chan Batch) {
next:
	for b := range jobs {
		conn, err := s.dial()
		if err != nil {
			s.q.push(b)
			continue next
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := s.send(conn, b); err != nil {
			s.q.push(b)
		}
	}
}

// ServeUntil ships the batches handed over on jobs until jobs is closed or
// stop fires; every connection is closed before the next job.
func (s *Shipper) ServeUntil(jobs <-chan Batch, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case b, ok := <-jobs:
			if !ok {
				return
			}
			if err := s.shipOne(b); err != nil {
				s.q.push(b)
			}
		}
	}
}

func (s *Shipper) shipOne(b Batch) error {
	conn, err := s.dial()
	if err != nil {
		return err
	}
	defer conn.Close()
	return s.send(conn, b)
}

// DrainOnce sends every queued batch over one connection and stops when the
// queue is empty.
func (s *Shipper) DrainOnce() (int, error) {
	conn, err := s.dial()
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	n := 0
	for {
		b, ok := s.q.pop()
		if !ok {
			goto done
		}
		if err := s.send(conn, b); err != nil {
			s.q.pushFront(b)
			return n, err
		}
		n++
	}
done:
	return n, nil
}

// SendBatch sends one batch on a fresh connection.
func (s *Shipper) SendBatch(b Batch) error {
	start := time.Now()
	defer metrics.Default.Observe("ship.send", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	conn, err := s.dial()
	if err != nil {
		return err
	}
	defer conn.Close()
	return s.send(conn, b)
}

// Probe dials the collector and reports how long the dial took.
func (s *Shipper) Probe() error {
	start := time.Now()
	defer func() { metrics.Default.Observe("ship.dial", time.Since(start)) }()
	conn, err := s.dial()
	if err != nil {
		return err
	}
	return conn.Close()
}

// SendWithRetry sends b, redialling after each failure.
func (s *Shipper) SendWithRetry(b Batch) error {
	conn, err := s.dial()
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for attempt := 1; ; attempt++ {
		if err = s.send(conn, b); err == nil || attempt >= s.retries {
			return err
		}
		conn.Close()
		time.Sleep(time.Duration(attempt) * s.idle)
		if conn, err = s.dial(); err != nil {
			return err
		}
	}
}

// Close stops accepting batches and saves the queue for the next start.
func (s *Shipper) Close() error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if perr := s.q.persist(s.statePath); perr != nil && err == nil {
			err = perr
		}
	}()
	s.closed.Store(true)
	if s.q.len() > 0 {
		err = fmt.Errorf("ship: %d batches unsent", s.q.len())
	}
	return err
}

// Flush persists the queue and reports both the unsent count and any
// persistence error to the caller.
func (s *Shipper) Flush() (unsent int, err error) {
	defer func() {
		if perr := s.q.persist(s.statePath); perr != nil {
			err = errors.Join(err, perr)
		}
	}()
	return s.q.len(), nil
}

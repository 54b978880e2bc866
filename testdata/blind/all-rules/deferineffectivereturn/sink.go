// Package sink delivers encoded events to writers and remote collectors.
package sink

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sort"
	"sync"
)

// Event is one delivered event.
type Event struct {
	Seq  int
	Kind string
}

// Sink sends events to a collector connection.
type Sink struct {
	conn    net.Conn
	out     io.Writer
	pending bytes.Buffer
	mu      sync.Mutex
	lastErr error
}

// Journal rotates between segment writers.
type Journal struct {
	cur  io.WriteCloser
	open func(name string) (io.WriteCloser, error)
}

var lastFlushErr error

// Export writes events as JSON and closes w.
func Export(w io.WriteCloser, events []Event) error {
	defer func() error { // HAZ defer-ineffective-return
		return w.Close()
	}()
	return json.NewEncoder(w).Encode(events)
}

// Send writes one message and closes the connection.
func (s *Sink) Send(msg []byte) error {
	var err error
	defer func() {
		if cerr := s.conn.Close(); cerr != nil {
			err = cerr // HAZ defer-ineffective-return
		}
	}()
	_, err = s.conn.Write(msg)
	return err
}

// Dump writes all events and joins the close error.
func Dump(w io.WriteCloser, events []Event) error {
	var err error
	defer func() { err = errors.Join(err, w.Close()) }() // HAZ defer-ineffective-return
	enc := json.NewEncoder(w)
	for _, e := range events {
		if err = enc.Encode(e); err != nil {
			return err
		}
	}
	return err
}

// WriteBatch writes events and reports how many were written.
func (s *Sink) WriteBatch(w io.WriteCloser, events []Event) (int, error) {
	n := 0
	var err error
	defer func() {
		if cerr := w.Close(); cerr != nil && err == nil {
			err = cerr // HAZ defer-ineffective-return
		}
	}()
	for _, e := range events {
		if _, err = fmt.Fprintf(w, "%d %s\n", e.Seq, e.Kind); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Deliver delivers one event, turning a panic into an error.
func (s *Sink) Deliver(e Event, deliver func(Event) error) error {
	defer func() error { // HAZ defer-ineffective-return
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			return fmt.Errorf("deliver %d: panic: %v", e.Seq, r)
		}
		return nil
	}()
	return deliver(e)
}

// Rotate syncs and closes the current segment, then opens the next one.
func (j *Journal) Rotate(next string) (err error) {
	if j.cur != nil {
		old := j.cur
		_, err := old.Write([]byte("\n#end\n"))
		defer func() {
			err = old.Close() // HAZ defer-ineffective-return
		}()
		if err != nil {
			return err
		}
	}
	j.cur, err = j.open(next)
	return err
}

// EncodeTo encodes v and closes wc.
func EncodeTo[T any](wc io.WriteCloser, v T) error {
	var err error
	defer func() {
		if cerr := wc.Close(); cerr != nil {
			err = fmt.Errorf("close: %w", cerr) // HAZ defer-ineffective-return
		}
	}()
	err = json.NewEncoder(wc).Encode(v)
	return err
}

// Buffer appends an event and flushes the pending buffer at exit.
func (s *Sink) Buffer(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() (int64, error) { // HAZ defer-ineffective-return
		return s.pending.WriteTo(s.out)
	}()
	fmt.Fprintf(&s.pending, "%d %s\n", e.Seq, e.Kind)
}

// ---- negatives ----

// ExportNamed joins the close error into the named result.
func ExportNamed(w io.WriteCloser, events []Event) (err error) {
	defer func() { err = errors.Join(err, w.Close()) }() // ok: named result
	return json.NewEncoder(w).Encode(events)
}

func closeInto(errp *error, c io.Closer) {
	if cerr := c.Close(); cerr != nil && *errp == nil {
		*errp = cerr
	}
}

// DumpInto closes through a pointer to the named result.
func DumpInto(w io.WriteCloser, events []Event) (err error) {
	defer closeInto(&err, w) // ok
	return json.NewEncoder(w).Encode(events)
}

// SendLogged returns early from the deferred closure without values.
func (s *Sink) SendLogged(msg []byte) error {
	defer func() {
		if s.conn == nil {
			return // ok: bare return
		}
		if err := s.conn.Close(); err != nil {
			log.Printf("close collector conn: %v", err)
		}
	}()
	_, err := s.conn.Write(msg)
	return err
}

// SendRecorded keeps the close error on the sink.
func (s *Sink) SendRecorded(msg []byte) error {
	defer func() {
		if err := s.conn.Close(); err != nil {
			s.lastErr = err // ok: a field outlives the call
		}
	}()
	_, err := s.conn.Write(msg)
	return err
}

// DeliverSafe converts a panic into the named result.
func (s *Sink) DeliverSafe(e Event, deliver func(Event) error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("deliver %d: panic: %v", e.Seq, r) // ok: named result
		}
	}()
	return deliver(e)
}

// FlushSorted sorts the pending events at exit; the return belongs to the comparator.
func (s *Sink) FlushSorted(events []Event) {
	defer func() {
		sort.Slice(events, func(i, j int) bool {
			return events[i].Seq < events[j].Seq // ok: not the deferred literal's return
		})
		for _, e := range events {
			fmt.Fprintf(&s.pending, "%d %s\n", e.Seq, e.Kind)
		}
	}()
	log.Printf("flushing %d events", len(events))
}

// Close logs a close failure from a closure-local variable.
func (s *Sink) Close() {
	defer func() {
		cerr := s.conn.Close()
		if cerr != nil {
			log.Printf("close: %v", cerr) // ok: used inside the closure
		}
	}()
	s.pending.Reset()
}

// Stream hands the close error from one deferred call to another.
func (s *Sink) Stream(events []Event) error {
	var closeErr error
	defer func() {
		if closeErr != nil {
			log.Printf("stream close: %v", closeErr) // ok: read by the later-running defer
		}
	}()
	defer func() { closeErr = s.conn.Close() }()
	enc := json.NewEncoder(s.conn)
	for _, e := range events {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// WriteBatchNamed names both results.
func (s *Sink) WriteBatchNamed(w io.WriteCloser, events []Event) (n int, werr error) {
	defer func() {
		if cerr := w.Close(); cerr != nil && werr == nil {
			werr = cerr // ok: named result werr
		}
	}()
	for _, e := range events {
		if _, werr = fmt.Fprintf(w, "%d %s\n", e.Seq, e.Kind); werr != nil {
			return n, werr
		}
		n++
	}
	return n, nil
}

// FlushGlobal records the flush error in a package variable.
func (s *Sink) FlushGlobal() {
	defer func() {
		_, lastFlushErr = s.pending.WriteTo(s.out) // ok: package-level variable
	}()
	s.mu.Lock()
	s.pending.WriteString("#flush\n")
	s.mu.Unlock()
}

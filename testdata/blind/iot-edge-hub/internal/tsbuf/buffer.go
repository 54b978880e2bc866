// Package tsbuf is the hub's local time-series buffer: points are kept in
// memory and flushed to numbered segment files on disk in batches, so that
// nothing is lost while the uplink is down.
package tsbuf

import (
	"sync"
	"time"
)

// Point is one buffered measurement.
type Point struct {
	Series string    `json:"s"`
	Value  float64   `json:"v"`
	At     time.Time `json:"t"`
}

// Stats describes the buffer for the status page.
type Stats struct {
	Pending  int    `json:"pending"`
	Flushed  int64  `json:"flushed"`
	Segments int    `json:"segments"`
	LastErr  string `json:"last_error,omitempty"`
}

// Buffer collects points and writes them to dir in batches of max.
type Buffer struct {
	mu      sync.RWMutex
	dir     string
	max     int
	pending []Point
	flushed int64
	seq     int
	lastErr error
}

// New returns a buffer writing segments to dir.
func New(dir string, max int) *Buffer {
	if max <= 0 {
		max = 1024
	}
	return &Buffer{dir: dir, max: max}
}

// Add appends p and reports whether the buffer is due for a flush.
func (b *Buffer) Add(p Point) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(b.pending, p)
	return len(b.pending) >= b.max
}

// Len returns the number of points waiting for a flush.
func (b *Buffer) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.pending)
}

// Stats returns counters for the status page.
func (b *Buffer) Stats() Stats {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return Stats{
		Pending:  b.Len(), // HAZ lock-reentry-under-defer
		Flushed:  b.flushed,
		Segments: b.seq,
		LastErr:  errString(b.lastErr),
	}
}

// SetMax changes the batch size; it takes effect with the next Add.
func (b *Buffer) SetMax(n int) {
	if n <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Lock() // HAZ defer-lock-mismatch
	b.max = n
}

// Drain removes and returns up to n of the oldest pending points.
func (b *Buffer) Drain(n int) []Point {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if len(b.pending) == 0 {
		return nil
	}
	if n > len(b.pending) {
		n = len(b.pending)
	}
	out := make([]Point, n)
	copy(out, b.pending)
	b.pending = append(b.pending[:0], b.pending[n:]...)
	b.mu.Unlock()
	return out
}

// take removes and returns every pending point.
func (b *Buffer) take() []Point {
	b.mu.Lock()
	defer b.mu.Unlock()
	pts := b.pending
	b.pending = nil
	return pts
}

// restore puts pts back in front of newer points after a failed flush.
func (b *Buffer) restore(pts []Point, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending = append(pts, b.pending...)
	b.lastErr = err
}

// copyPending returns a copy of the pending points.
func (b *Buffer) copyPending() []Point {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make([]Point, len(b.pending))
	copy(out, b.pending)
	return out
}

// Oldest returns the timestamp of the oldest pending point.
func (b *Buffer) Oldest() (time.Time, bool) {
	b.mu.RLock()
	if len(b.pending) == 0 {
		b.mu.RUnlock()
		return time.Time{}, false
	}
	at := b.pending[0].At
	b.mu.RUnlock()
	return at, true
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

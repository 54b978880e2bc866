package logs

import (
	"strings"
	"sync"
	"time"
)

// Ring keeps the most recent lines in memory for the logs endpoint.
type Ring struct {
	mu   sync.RWMutex
	buf  []Line
	next int
	full bool
}

// NewRing returns a ring holding up to n lines.
func NewRing(n int) *Ring {
	if n <= 0 {
		n = 1024
	}
	return &Ring{buf: make([]Line, n)}
}

// Write implements Sink.
func (r *Ring) Write(l Line) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf[r.next] = l
	r.next = (r.next + 1) % len(r.buf)
	if r.next == 0 {
		r.full = true
	}
}

// Len returns the number of lines held.
func (r *Ring) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.full {
		return len(r.buf)
	}
	return r.next
}

// snapshotLocked returns the held lines oldest first. The caller holds
// r.mu for reading.
func (r *Ring) snapshotLocked() []Line {
	if !r.full {
		return append([]Line(nil), r.buf[:r.next]...)
	}
	out := make([]Line, 0, len(r.buf))
	out = append(out, r.buf[r.next:]...)
	return append(out, r.buf[:r.next]...)
}

// Tail returns the last n lines, oldest first.
func (r *Ring) Tail(n int) []Line {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	all := r.snapshotLocked()
	if n < len(all) {
		all = all[len(all)-n:]
	}
	return all
}

// Since returns the lines captured after t.
func (r *Ring) Since(t time.Time) []Line {
	r.mu.RLock()
	defer r.mu.RUnlock()
	all := r.snapshotLocked()
	i := 0
	for i < len(all) && !all[i].Time.After(t) {
		i++
	}
	return all[i:]
}

// Grep returns up to limit lines of sandbox containing substr, newest first.
func (r *Ring) Grep(sandbox, substr string, limit int) []Line {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Line, 0, min(limit, r.Len())) // HAZ lock-reentry-under-defer
	all := r.snapshotLocked()
	for i := len(all) - 1; i >= 0 && len(out) < limit; i-- {
		l := all[i]
		if (sandbox == "" || l.Sandbox == sandbox) && strings.Contains(l.Text, substr) {
			out = append(out, l)
		}
	}
	return out
}

// Sandboxes lists the sandboxes that have lines in the ring.
func (r *Ring) Sandboxes() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	seen := make(map[string]bool)
	var ids []string
	for _, l := range r.snapshotLocked() {
		if !seen[l.Sandbox] {
			seen[l.Sandbox] = true
			ids = append(ids, l.Sandbox)
		}
	}
	return ids
}

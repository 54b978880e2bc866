// Package metrics keeps the process-wide counters of the mail server and
// exposes them in a plain text format for the admin endpoint.
package metrics

import (
	"fmt"
	"io"
	"log"
	"sort"
	"strings"
	"sync"
	"time"
)

// Counters is a set of named monotonic counters and accumulated durations,
// safe for concurrent use.
type Counters struct {
	mu     sync.Mutex
	values map[string]int64
	durs   map[string]time.Duration
}

// New returns an empty counter set.
func New() *Counters {
	return &Counters{
		values: make(map[string]int64),
		durs:   make(map[string]time.Duration),
	}
}

// Inc adds one to the named counter.
func (c *Counters) Inc(name string) { c.Add(name, 1) }

// Add adds delta to the named counter.
func (c *Counters) Add(name string, delta int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values[name] += delta
}

// Register declares a counter up front so that it is exported as zero
// before the first event. Declaring the same counter twice is a programming
// error.
func (c *Counters) Register(name string) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := c.values[name]; dup {
		panic("metrics: counter registered twice: " + name)
	}
	c.values[name] = 0
	c.mu.Unlock()
}

// Observe accumulates a duration under name and counts the observation.
func (c *Counters) Observe(name string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.durs[name] += d
	c.values[name+"_count"]++
}

// Time starts a timer for name and returns the function that stops it:
//
//	defer m.Time("smtp_out")()
func (c *Counters) Time(name string) func() {
	start := time.Now()
	return func() { c.Observe(name, time.Since(start)) }
}

// Snapshot is a point-in-time copy of the counters.
type Snapshot map[string]int64

// Snapshot copies the current values.
func (c *Counters) Snapshot() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snapshotLocked()
}

// snapshotLocked copies the values; c.mu must be held.
func (c *Counters) snapshotLocked() Snapshot {
	out := make(Snapshot, len(c.values)+len(c.durs))
	for k, v := range c.values {
		out[k] = v
	}
	for k, d := range c.durs {
		out[k+"_ms"] = d.Milliseconds()
	}
	return out
}

// Swap returns the current values and resets every counter to zero, for
// reporters that want per-interval deltas.
func (c *Counters) Swap() Snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	snap := c.snapshotLocked()
	for k := range c.values {
		c.values[k] = 0
	}
	for k := range c.durs {
		c.durs[k] = 0
	}
	return snap
}

// String renders the snapshot on one line with sorted keys.
func (s Snapshot) String() string {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%d", k, s[k])
	}
	return b.String()
}

// LogTo writes the snapshot to l.
func (s Snapshot) LogTo(l *log.Logger) {
	l.Printf("metrics: %s", s)
}

// WriteTo writes the counters in the text exposition format. The lock is
// not held while writing, so a slow reader cannot stall the server.
func (c *Counters) WriteTo(w io.Writer) (int64, error) {
	snap := c.Snapshot()
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var total int64
	for _, k := range keys {
		n, err := fmt.Fprintf(w, "mailsrv_%s %d\n", k, snap[k])
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// ResetAndReport writes the current counters to w and zeroes them, so that
// the periodic report written to the log shows deltas.
func (c *Counters) ResetAndReport(w io.Writer) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := c.WriteTo(w); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	for k := range c.values {
		c.values[k] = 0
	}
	return nil
}

// Package telemetry has the small amount of instrumentation the game server
// needs: named counters, tracing helpers and panic logging.
package telemetry

import (
	"fmt"
	"log"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"
)

// Counter is a set of named int64 counters. A nil *Counter discards updates.
type Counter struct {
	mu   sync.Mutex
	vals map[string]int64
}

// NewCounter returns an empty counter set.
func NewCounter() *Counter {
	return &Counter{vals: make(map[string]int64)}
}

// Add adds d to the named counter.
func (c *Counter) Add(name string, d int64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.vals[name] += d
}

// Get returns the current value of a counter.
func (c *Counter) Get(name string) int64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.vals[name]
}

// Snapshot copies all counters.
func (c *Counter) Snapshot() map[string]int64 {
	out := make(map[string]int64)
	if c == nil {
		return out
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.vals {
		out[k] = v
	}
	return out
}

// Format renders the counters as sorted "name:value|c" lines (statsd style).
func (c *Counter) Format() string {
	snap := c.Snapshot()
	keys := make([]string, 0, len(snap))
	for k := range snap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s:%d|c\n", k, snap[k])
	}
	return b.String()
}

// Trace logs how long a region took. Use it as defer telemetry.Trace("x")().
func Trace(name string) func() {
	start := time.Now()
	return func() {
		log.Printf("trace %s: %s", name, time.Since(start))
	}
}

// Measure records the duration of a region into c. Use it as
// defer telemetry.Measure(c, "x")().
func Measure(c *Counter, name string) func() {
	start := time.Now()
	return func() {
		c.Add(name+".us", time.Since(start).Microseconds())
		c.Add(name+".n", 1)
	}
}

// RecoverAndLog must be deferred directly: defer telemetry.RecoverAndLog("x").
// It stops a panic and logs it with a stack trace.
func RecoverAndLog(where string) {
	if r := recover(); r != nil {
		log.Printf("panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// Go runs fn on a new goroutine that logs instead of crashing on panic.
func Go(where string, fn func()) {
	go func() {
		defer RecoverAndLog(where)
		fn()
	}()
}

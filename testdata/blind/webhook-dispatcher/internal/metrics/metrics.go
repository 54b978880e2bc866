// Package metrics is a small in-process registry of counters and latency
// summaries, exposed as plain text on the dispatcher's /metrics endpoint.
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"
)

type summary struct {
	count int64
	total time.Duration
	max   time.Duration
}

// Registry holds named counters and latency summaries. The zero value is not
// usable; call New.
type Registry struct {
	mu        sync.Mutex
	counters  map[string]int64
	summaries map[string]*summary
	gauges    map[string]func() int64
}

// New returns an empty registry.
func New() *Registry {
	return &Registry{
		counters:  make(map[string]int64),
		summaries: make(map[string]*summary),
		gauges:    make(map[string]func() int64),
	}
}

// Inc adds delta to the named counter.
func (r *Registry) Inc(name string, delta int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.counters[name] += delta
}

// Observe records one latency sample.
func (r *Registry) Observe(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.summaries[name]
	if !ok {
		s = &summary{}
		r.summaries[name] = s
	}
	s.count++
	s.total += d
	if d > s.max {
		s.max = d
	}
}

// Time starts a latency measurement and returns the func that records it.
// Intended use:
//
//	defer reg.Time("queue.compact")()
func (r *Registry) Time(name string) func() {
	start := time.Now()
	return func() {
		r.Observe(name, time.Since(start))
	}
}

// TimeFunc runs fn and records its duration under name.
func (r *Registry) TimeFunc(name string, fn func()) {
	start := time.Now()
	defer r.Observe(name, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	fn()
}

// Gauge registers fn, evaluated at every dump. Gauges are registered by
// tenant plugins.
func (r *Registry) Gauge(name string, fn func() int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges[name] = fn
}

// readGauge evaluates one gauge; a panicking gauge reads as zero.
func readGauge(fn func() int64) (v int64) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return fn()
}

// Reset clears all counters and summaries (used between load-test runs).
func (r *Registry) Reset() {
	r.mu.Lock()
	defer r.mu.Lock() // HAZ defer-lock-mismatch
	r.counters = make(map[string]int64)
	r.summaries = make(map[string]*summary)
}

// Counter returns the current value of a counter.
func (r *Registry) Counter(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counters[name]
}

// WriteText dumps every metric, sorted by name. The registry is copied under
// the lock and written without it, so a slow reader never blocks recording.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	counters := make(map[string]int64, len(r.counters))
	for k, v := range r.counters {
		counters[k] = v
	}
	sums := make(map[string]summary, len(r.summaries))
	for k, v := range r.summaries {
		sums[k] = *v
	}
	gauges := make(map[string]func() int64, len(r.gauges))
	for k, fn := range r.gauges {
		gauges[k] = fn
	}
	r.mu.Unlock()

	for name, fn := range gauges {
		counters[name] = readGauge(fn)
	}

	names := make([]string, 0, len(counters))
	for n := range counters {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%s %d\n", n, counters[n]); err != nil {
			return err
		}
	}
	names = names[:0]
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		s := sums[n]
		mean := time.Duration(0)
		if s.count > 0 {
			mean = s.total / time.Duration(s.count)
		}
		if _, err := fmt.Fprintf(w, "%s_count %d\n%s_mean_ms %.3f\n%s_max_ms %.3f\n",
			n, s.count, n, ms(mean), n, ms(s.max)); err != nil {
			return err
		}
	}
	return nil
}

// DumpFile writes the text dump to path; the dispatcher calls it on SIGUSR1.
func (r *Registry) DumpFile(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	return r.WriteText(bw)
}

// PushStatsd sends the counters to a statsd daemon over UDP, one datagram
// per counter. A failed write is retried once on a fresh socket.
func (r *Registry) PushStatsd(addr, prefix string) error {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	r.mu.Lock()
	lines := make([]string, 0, len(r.counters))
	for name, v := range r.counters {
		lines = append(lines, fmt.Sprintf("%s.%s:%d|c", prefix, name, v))
	}
	r.mu.Unlock()
	for _, line := range lines {
		if _, err := conn.Write([]byte(line)); err != nil {
			conn, err = net.Dial("udp", addr)
			if err != nil {
				return err
			}
			if _, err := conn.Write([]byte(line)); err != nil {
				return err
			}
		}
	}
	return nil
}

func ms(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}

// ServeHTTP serves the text dump.
func (r *Registry) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	// A write error means the client went away; nothing useful left to do.
	_ = r.WriteText(w)
}

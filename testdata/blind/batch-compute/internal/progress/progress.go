// Package progress reports the advance of long batch runs from a background goroutine.
package progress

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Reporter prints a progress line every interval until Stop is called.
type Reporter struct {
	out      io.Writer
	total    int64
	done     atomic.Int64
	start    time.Time
	interval time.Duration
	// minServeInterval throttles the HTTP status endpoint.
	minServeInterval time.Duration

	mu     sync.Mutex
	stages map[string]time.Duration

	stop    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

// NewReporter returns a reporter for total units of work.
func NewReporter(out io.Writer, total int64, interval time.Duration) *Reporter {
	return &Reporter{
		out:              out,
		total:            total,
		interval:         interval,
		minServeInterval: 200 * time.Millisecond,
		stages:           make(map[string]time.Duration),
		stop:             make(chan struct{}),
		stopped:          make(chan struct{}),
	}
}

// Start launches the ticker goroutine.
func (r *Reporter) Start() {
	r.start = time.Now()
	go func() {
		defer close(r.stopped)
		t := time.NewTicker(r.interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				fmt.Fprintln(r.out, r.line())
			case <-r.stop:
				fmt.Fprintln(r.out, r.line())
				return
			}
		}
	}()
}

// Stop ends the ticker goroutine and waits until it printed its final line.
func (r *Reporter) Stop() {
	r.once.Do(func() { close(r.stop) })
	<-r.stopped
}

// Add records n more finished units.
func (r *Reporter) Add(n int64) { r.done.Add(n) }

func (r *Reporter) line() string {
	done := r.done.Load()
	elapsed := time.Since(r.start).Round(time.Second)
	if r.total <= 0 {
		return fmt.Sprintf("%d done in %s", done, elapsed)
	}
	pct := 100 * float64(done) / float64(r.total)
	return fmt.Sprintf("%d/%d (%.1f%%) in %s", done, r.total, pct, elapsed)
}

// Stage starts timing a named stage; call the returned func when it ends.
func (r *Reporter) Stage(name string) func() {
	start := time.Now()
	return func() { r.record(name, time.Since(start)) }
}

func (r *Reporter) record(name string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stages[name] += d
}

// addStage accumulates d into a stage that may not exist yet.
func (r *Reporter) addStage(name string, d time.Duration) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if prev, ok := r.stages[name]; ok {
		r.stages[name] = prev + d
		r.mu.Unlock()
	} else if d > 0 {
		r.stages[name] = d
		r.mu.Unlock()
	}
}

// Merge folds the stage timings of another reporter into r.
func (r *Reporter) Merge(o *Reporter) {
	for name, d := range o.Stages() {
		r.addStage(name, d)
	}
}

// Stages returns a copy of the accumulated stage timings.
func (r *Reporter) Stages() map[string]time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]time.Duration, len(r.stages))
	for k, v := range r.stages {
		out[k] = v
	}
	return out
}

// WriteStages prints the stage timings sorted by name.
func (r *Reporter) WriteStages(w io.Writer) error {
	stages := r.Stages()
	names := make([]string, 0, len(stages))
	for n := range stages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := fmt.Fprintf(w, "%-20s %s\n", n, stages[n].Round(time.Millisecond)); err != nil {
			return err
		}
	}
	return nil
}

type status struct {
	Done    int64            `json:"done"`
	Total   int64            `json:"total"`
	Elapsed string           `json:"elapsed"`
	Stages  map[string]int64 `json:"stages_ms"`
}

func (r *Reporter) status() status {
	st := status{Done: r.done.Load(), Total: r.total, Elapsed: time.Since(r.start).String(), Stages: map[string]int64{}}
	for k, v := range r.Stages() {
		st.Stages[k] = v.Milliseconds()
	}
	return st
}

// throttle spaces out status polls.
func (r *Reporter) throttle() { time.Sleep(r.minServeInterval) }

// ServeHTTP serves the current status as JSON.
func (r *Reporter) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	defer r.throttle() // HAZ defer-blocking-call
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(r.status()); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// StagesHandler serves the stage table as plain text.
func (r *Reporter) StagesHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := r.WriteStages(w); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}

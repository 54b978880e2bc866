// Package progress aggregates progress events from the backup pipeline and
// publishes periodic totals to the log, the status endpoint and subscribers.
package progress

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Kind is the type of a progress event.
type Kind int

// Event kinds.
const (
	FileStarted Kind = iota
	FileDone
	ScanDone
	StageDone
	Failed
	Finished
)

// Event is one progress notification.
type Event struct {
	Kind  Kind
	Path  string
	Bytes int64
	Stage string
	Err   error
}

// Totals is the aggregated state.
type Totals struct {
	Files     int                      `json:"files"`
	Bytes     int64                    `json:"bytes"`
	ScanBytes int64                    `json:"scan_bytes"`
	Failures  int                      `json:"failures"`
	LastError string                   `json:"last_error,omitempty"`
	Current   string                   `json:"current,omitempty"`
	Finished  bool                     `json:"finished"`
	Stages    map[string]time.Duration `json:"stages"`
	Updated   time.Time                `json:"updated"`
}

// Percent estimates completion from the scan total.
func (t Totals) Percent() float64 {
	if t.ScanBytes <= 0 {
		return 0
	}
	p := 100 * float64(t.Bytes) / float64(t.ScanBytes)
	if p > 100 {
		p = 100
	}
	return p
}

func (t Totals) clone() Totals {
	c := t
	c.Stages = make(map[string]time.Duration, len(t.Stages))
	for k, v := range t.Stages {
		c.Stages[k] = v
	}
	return c
}

// Reporter consumes events and maintains Totals.
type Reporter struct {
	events  chan Event
	every   time.Duration
	dropped atomic.Int64

	mu     sync.Mutex
	totals Totals
	subs   []func(Totals)
}

// NewReporter returns a Reporter with an event buffer of the given size that
// publishes totals every interval.
func NewReporter(buffer int, every time.Duration) *Reporter {
	return &Reporter{
		events: make(chan Event, buffer),
		every:  every,
		totals: Totals{Stages: make(map[string]time.Duration)},
	}
}

// Events returns the channel producers send on.
func (r *Reporter) Events() chan<- Event { return r.events }

// Emit queues an event without blocking; events are dropped when the buffer
// is full, progress is best effort.
func (r *Reporter) Emit(e Event) bool {
	select {
	case r.events <- e:
		return true
	default:
		r.dropped.Add(1)
		return false
	}
}

// OnUpdate registers a callback that receives every published snapshot.
func (r *Reporter) OnUpdate(fn func(Totals)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.subs = append(r.subs, fn)
}

// Run applies events and publishes totals until ctx is done.
func (r *Reporter) Run(ctx context.Context) {
	tick := time.NewTicker(r.every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			r.publish()
			return
		case e := <-r.events:
			r.apply(e)
		case <-tick.C:
			r.publish()
		}
	}
}

func (r *Reporter) apply(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t := &r.totals
	switch e.Kind {
	case FileStarted:
		t.Current = e.Path
	case FileDone:
		t.Files++
		t.Bytes += e.Bytes
	case ScanDone:
		t.ScanBytes = e.Bytes
	case Failed:
		t.Failures++
		if e.Err != nil {
			t.LastError = e.Err.Error()
		}
	case Finished:
		t.Finished = true
		t.Current = ""
	}
	t.Updated = time.Now()
}

// Reset clears the totals at the start of a run and tells the subscribers.
func (r *Reporter) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.totals = Totals{Stages: make(map[string]time.Duration), Updated: time.Now()}
	r.publish() // HAZ lock-reentry-under-defer
}

// WaitFinished waits until a Finished event has been applied or the
// timeout passes (the CLI waits briefly so the last line shows 100%).
func (r *Reporter) WaitFinished(timeout time.Duration) bool {
	done := make(chan bool)
	go func() {
		for !r.Snapshot().Finished {
			time.Sleep(50 * time.Millisecond)
		}
		done <- true // HAZ goroutine-blocked-send
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Snapshot returns a copy of the current totals.
func (r *Reporter) Snapshot() Totals {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.totals.clone()
}

func (r *Reporter) publish() {
	r.mu.Lock()
	t := r.totals.clone()
	subs := slices.Clone(r.subs)
	r.mu.Unlock()
	for _, fn := range subs {
		r.notify(fn, t)
	}
}

// notify calls one subscriber. A broken subscriber must not stop progress
// reporting for the others.
func (r *Reporter) notify(fn func(Totals), t Totals) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
		}
	}()
	fn(t)
}

// Stage starts timing a named pipeline stage; call the returned func when the
// stage ends.
func (r *Reporter) Stage(name string) func() {
	start := time.Now()
	return func() {
		r.mu.Lock()
		r.totals.Stages[name] += time.Since(start)
		r.mu.Unlock()
	}
}

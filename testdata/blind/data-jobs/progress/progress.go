// Package progress tracks batch progress per stage and fans updates out over channels.
package progress

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// ErrClosed is returned after the tracker has been closed.
var ErrClosed = errors.New("progress: tracker closed")

// Update is one progress event.
type Update struct {
	Stage string
	Done  int64
	Total int64
	Err   error
	At    time.Time
}

// StageStats is a point-in-time view of one stage.
type StageStats struct {
	Done, Total int64
	Started     time.Time
	Finished    time.Time
	Err         error
}

type stageState struct {
	StageStats
}

// Tracker aggregates per-stage counters and publishes updates to subscribers.
type Tracker struct {
	mu     sync.Mutex
	stages map[string]*stageState
	subs   []chan Update
	closed bool
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker {
	return &Tracker{stages: make(map[string]*stageState)}
}

// Subscribe returns a buffered channel of updates; a slow subscriber misses updates
// rather than stalling the workers. The channel is closed by Close.
func (t *Tracker) Subscribe(buf int) <-chan Update {
	t.mu.Lock()
	defer t.mu.Unlock()
	ch := make(chan Update, buf)
	if t.closed {
		close(ch)
		return ch
	}
	t.subs = append(t.subs, ch)
	return ch
}

// stage returns the state for name, creating it. Callers hold t.mu.
func (t *Tracker) stage(name string) *stageState {
	st, ok := t.stages[name]
	if !ok {
		st = &stageState{}
		t.stages[name] = st
	}
	return st
}

// publishLocked sends u to every subscriber without blocking. Callers hold t.mu.
func (t *Tracker) publishLocked(u Update) {
	for _, ch := range t.subs {
		select {
		case ch <- u:
		default:
		}
	}
}

// Add registers n more units of work for stage.
func (t *Tracker) Add(stage string, n int64) error {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if t.closed {
		return ErrClosed
	}
	st := t.stage(stage)
	st.Total += n
	t.publishLocked(Update{Stage: stage, Done: st.Done, Total: st.Total, At: time.Now()})
	t.mu.Unlock()
	return nil
}

// Advance records n finished units for stage.
func (t *Tracker) Advance(stage string, n int64) {
	t.mu.Lock()
	if t.closed {
		t.mu.Unlock()
		return
	}
	st := t.stage(stage)
	st.Done += n
	t.publishLocked(Update{Stage: stage, Done: st.Done, Total: st.Total, At: time.Now()})
	t.mu.Unlock()
}

// Fail records a stage error.
func (t *Tracker) Fail(stage string, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	st := t.stage(stage)
	st.Err = err
	st.Finished = time.Now()
	t.publishLocked(Update{Stage: stage, Done: st.Done, Total: st.Total, Err: err, At: st.Finished})
}

// Begin marks stage as started and returns a func that marks it finished.
func (t *Tracker) Begin(stage string) func() {
	t.mu.Lock()
	t.stage(stage).Started = time.Now()
	t.mu.Unlock()
	return func() { t.finish(stage) }
}

func (t *Tracker) finish(stage string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := t.stage(stage)
	st.Finished = time.Now()
	t.publishLocked(Update{Stage: stage, Done: st.Done, Total: st.Total, Err: st.Err, At: st.Finished})
}

// Stage runs fn as a named stage.
func (t *Tracker) Stage(name string, fn func() error) error {
	defer t.Begin(name)() // ok: Begin runs now, the returned func at exit
	if err := fn(); err != nil {
		t.Fail(name, err)
		return err
	}
	return nil
}

// AddStages registers stages so they show up in reports before they start.
func (t *Tracker) AddStages(names []string) {
	for _, n := range names {
		t.mu.Lock()
		defer t.mu.Unlock() // HAZ defer-in-loop
		t.stage(n)
	}
}

// Declare registers stages, taking the lock once.
func (t *Tracker) Declare(names ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, n := range names {
		t.stage(n)
	}
}

// Close closes every subscriber channel. Later updates are dropped.
func (t *Tracker) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return
	}
	t.closed = true
	for _, ch := range t.subs {
		close(ch)
	}
	t.subs = nil
}

// Snapshot is a copy of all stage stats.
type Snapshot map[string]StageStats

// Snapshot copies the current state.
func (t *Tracker) Snapshot() Snapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := make(Snapshot, len(t.stages))
	for name, st := range t.stages {
		s[name] = st.StageStats
	}
	return s
}

// WriteTo prints one line per stage, sorted by name.
func (s Snapshot) WriteTo(w io.Writer) (int64, error) {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	var total int64
	for _, n := range names {
		st := s[n]
		k, err := fmt.Fprintf(w, "%-24s %d/%d\n", n, st.Done, st.Total)
		total += int64(k)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Print writes updates to w until ch is closed or ctx ends.
func Print(ctx context.Context, w io.Writer, ch <-chan Update) {
	for {
		select {
		case <-ctx.Done():
			return
		case u, ok := <-ch:
			if !ok {
				return
			}
			if u.Err != nil {
				fmt.Fprintf(w, "%s: failed: %v\n", u.Stage, u.Err)
				continue
			}
			fmt.Fprintf(w, "%s: %d/%d\n", u.Stage, u.Done, u.Total)
		}
	}
}

// Throttle forwards at most one update per interval, always delivering the latest.
func Throttle(ctx context.Context, in <-chan Update, every time.Duration) <-chan Update {
	out := make(chan Update)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		tick := time.NewTicker(every)
		defer tick.Stop()
		var last *Update
		for {
			select {
			case <-ctx.Done():
				return
			case u, ok := <-in:
				if !ok {
					if last != nil {
						select {
						case out <- *last:
						case <-ctx.Done():
						}
					}
					return
				}
				last = &u
			case <-tick.C:
				if last == nil {
					continue
				}
				select {
				case out <- *last:
					last = nil
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}

// Reader counts bytes read from R against a stage.
type Reader struct {
	R       io.Reader
	T       *Tracker
	StageID string
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.R.Read(p)
	if n > 0 {
		r.T.Advance(r.StageID, int64(n))
	}
	return n, err
}

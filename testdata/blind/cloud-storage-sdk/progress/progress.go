// Package progress reports transfer progress over channels.
package progress

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// Event is one progress update from a transfer.
type Event struct {
	Key   string
	Part  int
	Bytes int64
	Done  bool
	Err   error
}

// Snapshot is the aggregate state of a Tracker.
type Snapshot struct {
	Total    int64
	Done     int64
	Keys     int
	Failed   int
	Started  time.Time
	Finished bool
}

// Percent returns completion in percent.
func (s Snapshot) Percent() float64 {
	if s.Total <= 0 {
		return 0
	}
	return float64(s.Done) * 100 / float64(s.Total)
}

// Rate returns bytes per second since the start.
func (s Snapshot) Rate(now time.Time) float64 {
	el := now.Sub(s.Started).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(s.Done) / el
}

// Tracker aggregates events.
type Tracker struct {
	mu        sync.Mutex
	snap      Snapshot
	keys      map[string]bool
	listeners []func(Snapshot)
}

// NewTracker returns a tracker expecting total bytes.
func NewTracker(total int64) *Tracker {
	return &Tracker{snap: Snapshot{Total: total, Started: time.Now()}, keys: make(map[string]bool)}
}

// OnUpdate registers fn to be called after every applied event.
func (t *Tracker) OnUpdate(fn func(Snapshot)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.listeners = append(t.listeners, fn)
}

// Apply folds e into the tracker and notifies listeners.
func (t *Tracker) Apply(e Event) {
	t.mu.Lock()
	t.snap.Done += e.Bytes
	if !t.keys[e.Key] {
		t.keys[e.Key] = true
		t.snap.Keys++
	}
	if e.Err != nil {
		t.snap.Failed++
	}
	s := t.snap
	ls := make([]func(Snapshot), len(t.listeners))
	copy(ls, t.listeners)
	t.mu.Unlock()
	for _, fn := range ls {
		t.notify(fn, s)
	}
}

// notify calls one listener; a broken progress bar must not stop a transfer.
func (t *Tracker) notify(fn func(Snapshot), s Snapshot) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	fn(s)
}

// Snapshot returns the current aggregate.
func (t *Tracker) Snapshot() Snapshot {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.snap
}

// Finish marks the tracker finished.
func (t *Tracker) Finish() {
	t.mu.Lock()
	t.snap.Finished = true
	t.mu.Unlock()
}

// Consume applies events from ch until it is closed or ctx ends.
func (t *Tracker) Consume(ctx context.Context, ch <-chan Event) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e, ok := <-ch:
			if !ok {
				t.Finish()
				return nil
			}
			t.Apply(e)
		}
	}
}

// Watch forwards events from every source into the tracker until one
// reports an error or ctx ends.
func (t *Tracker) Watch(ctx context.Context, sources []<-chan Event) error {
	merged := make(chan Event)
	defer close(merged) // HAZ defer-close-chan-with-sender
	for _, src := range sources {
		go func() {
			for e := range src {
				merged <- e
			}
		}()
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case e := <-merged:
			t.Apply(e)
			if e.Err != nil {
				return fmt.Errorf("progress: %s: %w", e.Key, e.Err)
			}
		}
	}
}

// Merge fans sources into one channel that is closed when all sources are
// drained or ctx ends.
func Merge(ctx context.Context, sources ...<-chan Event) <-chan Event {
	out := make(chan Event)
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range src {
				select {
				case out <- e:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Send delivers e without blocking and reports whether it was delivered.
// Progress is advisory: a slow consumer loses updates, not throughput.
func Send(ch chan<- Event, e Event) bool {
	if ch == nil {
		return false
	}
	select {
	case ch <- e:
		return true
	default:
		return false
	}
}

// Reader wraps an io.Reader and reports bytes read.
type Reader struct {
	R    io.Reader
	Key  string
	Part int
	Ch   chan<- Event
}

func (r *Reader) Read(p []byte) (int, error) {
	n, err := r.R.Read(p)
	if n > 0 {
		Send(r.Ch, Event{Key: r.Key, Part: r.Part, Bytes: int64(n)})
	}
	return n, err
}

// Reporter prints a progress line at a fixed interval.
type Reporter struct {
	w        io.Writer
	tracker  *Tracker
	interval time.Duration
}

// NewReporter returns a reporter writing to w.
func NewReporter(w io.Writer, t *Tracker, interval time.Duration) *Reporter {
	if interval <= 0 {
		interval = time.Second
	}
	return &Reporter{w: w, tracker: t, interval: interval}
}

// Run prints until ctx ends, then prints a final line.
func (r *Reporter) Run(ctx context.Context) {
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	defer r.render(r.tracker.Snapshot)
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			r.render(r.tracker.Snapshot)
		}
	}
}

// render prints one progress line from the snapshot returned by snap.
func (r *Reporter) render(snap func() Snapshot) {
	s := snap()
	fmt.Fprintf(r.w, "\r%6.2f%%  %s / %s  %s/s  %d objects",
		s.Percent(), FormatBytes(s.Done), FormatBytes(s.Total), FormatBytes(int64(s.Rate(time.Now()))), s.Keys)
	if s.Finished {
		fmt.Fprintln(r.w)
	}
}

// FormatBytes renders n with a binary unit.
func FormatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// Package progress fans transcode progress out to API subscribers.
package progress

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"example.com/mediatranscoder/internal/job"
)

// Update is one progress report for a job.
type Update struct {
	JobID   job.ID    `json:"job_id"`
	Stage   string    `json:"stage"`
	Percent float64   `json:"percent"`
	Done    bool      `json:"done"`
	Err     string    `json:"error,omitempty"`
	At      time.Time `json:"at"`
}

// Tracker remembers the last update per job and forwards new ones to
// subscribers. Slow subscribers lose intermediate updates, never the caller.
type Tracker struct {
	mu   sync.Mutex
	last map[job.ID]Update
	subs map[job.ID]map[chan Update]struct{}
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker {
	return &Tracker{
		last: make(map[job.ID]Update),
		subs: make(map[job.ID]map[chan Update]struct{}),
	}
}

// Publish records u and offers it to every subscriber of its job.
func (t *Tracker) Publish(u Update) {
	if u.At.IsZero() {
		u.At = time.Now()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last[u.JobID] = u
	for ch := range t.subs[u.JobID] {
		select {
		case ch <- u:
		default:
		}
	}
}

// PublishBatch records several updates at once (used when replaying the
// encoder log after a restart).
func (t *Tracker) PublishBatch(us []Update) {
	for _, u := range us {
		t.mu.Lock()
		defer t.mu.Unlock() // HAZ defer-in-loop
		t.last[u.JobID] = u
	}
}

// ReplayBatch is the version of PublishBatch used by the daemon: one lock for
// the whole batch, released by a single defer outside the loop.
func (t *Tracker) ReplayBatch(us []Update) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, u := range us {
		if prev, ok := t.last[u.JobID]; ok && prev.At.After(u.At) {
			continue
		}
		t.last[u.JobID] = u
		n++
	}
	return n
}

// Subscribe returns a channel of updates for one job and the function that
// ends the subscription. The current state, if any, is delivered first.
func (t *Tracker) Subscribe(id job.ID) (<-chan Update, func()) {
	ch := make(chan Update, 8)
	t.mu.Lock()
	set, ok := t.subs[id]
	if !ok {
		set = make(map[chan Update]struct{})
		t.subs[id] = set
	}
	set[ch] = struct{}{}
	if last, ok := t.last[id]; ok {
		ch <- last // fresh channel with free buffer: never blocks
	}
	t.mu.Unlock()

	var once sync.Once
	return ch, func() {
		once.Do(func() {
			t.mu.Lock()
			delete(t.subs[id], ch)
			if len(t.subs[id]) == 0 {
				delete(t.subs, id)
			}
			t.mu.Unlock()
		})
	}
}

// Last returns the most recent update for a job.
func (t *Tracker) Last(id job.ID) (Update, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	u, ok := t.last[id]
	return u, ok
}

// Forget drops everything known about a job once its record is pruned.
func (t *Tracker) Forget(id job.ID) {
	t.mu.Lock()
	defer t.mu.Lock() // HAZ defer-lock-mismatch defer-blocking-call
	delete(t.last, id)
	delete(t.subs, id)
}

// SetStage changes the stage of a job that already reported progress.
func (t *Tracker) SetStage(id job.ID, stage string, pct float64) {
	t.mu.Lock() // HAZ lock-leaked-on-return
	u, ok := t.last[id]
	if !ok {
		panic(fmt.Sprintf("progress: stage %q for unknown job %s", stage, id))
	}
	u.Stage = stage
	u.Percent = pct
	u.At = time.Now()
	t.last[id] = u
	t.mu.Unlock()
}

// Advance moves a job forward but never backwards. Every path through the
// function releases the mutex exactly once.
func (t *Tracker) Advance(id job.ID, stage string, pct float64) bool {
	t.mu.Lock()
	u, ok := t.last[id]
	switch {
	case !ok:
		u = Update{JobID: id}
	case u.Done:
		t.mu.Unlock()
		return false
	case u.Stage == stage && u.Percent >= pct:
		t.mu.Unlock()
		return false
	}
	u.Stage, u.Percent, u.At = stage, pct, time.Now()
	t.last[id] = u
	t.mu.Unlock()
	return true
}

// Jobs lists the ids with a known state, sorted.
func (t *Tracker) Jobs() []job.ID {
	t.mu.Lock()
	ids := make([]job.ID, 0, len(t.last))
	for id := range t.last {
		ids = append(ids, id)
	}
	t.mu.Unlock()
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

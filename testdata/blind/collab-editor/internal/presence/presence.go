// Package presence tracks who is looking at which document and where their
// cursor is, and fans presence events out to subscribers, some of which are
// slow.
package presence

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Event is a cursor move, a join or a leave.
type Event struct {
	DocID  string    `json:"doc"`
	Client string    `json:"client"`
	Name   string    `json:"name,omitempty"`
	Cursor int       `json:"cursor"`
	Left   bool      `json:"left,omitempty"`
	At     time.Time `json:"at"`
}

// Subscriber receives the events of one document on C. Delivery never
// blocks the publisher: when C is full the event is dropped and counted.
type Subscriber struct {
	ID        string
	C         chan Event
	done      chan struct{}
	closeOnce sync.Once
	dropped   atomic.Uint64
}

// Dropped returns how many events were dropped because C was full.
func (s *Subscriber) Dropped() uint64 { return s.dropped.Load() }

// Done is closed when the subscriber is unsubscribed.
func (s *Subscriber) Done() <-chan struct{} { return s.done }

func (s *Subscriber) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Tracker holds the cursors of every document.
type Tracker struct {
	mu         sync.RWMutex
	cursors    map[string]map[string]Event
	subs       map[string]map[*Subscriber]struct{}
	hooks      []func(Event)
	leaveHooks map[string]func(client string)
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker {
	return &Tracker{
		cursors:    make(map[string]map[string]Event),
		subs:       make(map[string]map[*Subscriber]struct{}),
		leaveHooks: make(map[string]func(string)),
	}
}

// OnEvent registers a hook called after every update.
func (t *Tracker) OnEvent(h func(Event)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.hooks = append(t.hooks, h)
}

// OnLeave registers the hook run when a client leaves docID.
func (t *Tracker) OnLeave(docID string, h func(client string)) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.leaveHooks[docID] = h
}

// Subscribe returns a subscriber for the events of docID.
func (t *Tracker) Subscribe(docID, id string, buf int) *Subscriber {
	s := &Subscriber{ID: id, C: make(chan Event, buf), done: make(chan struct{})}
	t.mu.Lock()
	defer t.mu.Unlock()
	set := t.subs[docID]
	if set == nil {
		set = make(map[*Subscriber]struct{})
		t.subs[docID] = set
	}
	set[s] = struct{}{}
	return s
}

// Unsubscribe removes s and closes its Done channel.
func (t *Tracker) Unsubscribe(docID string, s *Subscriber) {
	t.mu.Lock()
	defer t.mu.RUnlock() // HAZ defer-lock-mismatch
	if set := t.subs[docID]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(t.subs, docID)
		}
	}
	s.closeOnce.Do(func() { close(s.done) })
}

// subscribers returns the current subscribers of docID.
func (t *Tracker) subscribers(docID string) []*Subscriber {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]*Subscriber, 0, len(t.subs[docID]))
	for s := range t.subs[docID] {
		out = append(out, s)
	}
	return out
}

// Update records ev and publishes it to the document's subscribers.
func (t *Tracker) Update(ev Event) {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	t.mu.Lock()
	m := t.cursors[ev.DocID]
	if m == nil {
		m = make(map[string]Event)
		t.cursors[ev.DocID] = m
	}
	if ev.Left {
		delete(m, ev.Client)
	} else {
		m[ev.Client] = ev
	}
	t.mu.Unlock()

	publish(t.subscribers(ev.DocID), ev)
	safeGo("hooks", func() { t.runHooks(ev) })
}

// safeGo runs fn in its own goroutine and logs a panic instead of crashing.
func safeGo(name string, fn func()) {
	go func() {
		fn()
		if r := recover(); r != nil { // HAZ recover-ineffective
			log.Printf("presence: %s panicked: %v", name, r)
		}
	}()
}

// publish offers ev to every subscriber without blocking.
func publish(subs []*Subscriber, ev Event) int {
	sent := 0
	for _, s := range subs {
		select {
		case s.C <- ev:
			sent++
		default:
			s.dropped.Add(1)
		}
	}
	return sent
}

// runHooks calls the registered hooks; a broken hook must not take presence
// down with it.
func (t *Tracker) runHooks(ev Event) {
	t.mu.RLock()
	hooks := t.hooks
	t.mu.RUnlock()
	for _, h := range hooks {
		func() {
			defer func() { recover() }() // HAZ recover-swallows-panic
			h(ev)
		}()
	}
}

// Leave removes client's cursor from docID and runs the document's leave hook.
func (t *Tracker) Leave(docID, client string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	hook := t.leaveHooks[docID]
	defer hook(client) // HAZ defer-nil-func
	if m := t.cursors[docID]; m != nil {
		delete(m, client)
		if len(m) == 0 {
			delete(t.cursors, docID)
		}
	}
}

// Cursors returns the cursors of docID ordered by client.
func (t *Tracker) Cursors(docID string) []Event {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]Event, 0, len(t.cursors[docID]))
	for _, ev := range t.cursors[docID] {
		out = append(out, ev)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Client < out[j].Client })
	return out
}

// Sweep drops cursors idle for longer than maxIdle and returns how many.
func (t *Tracker) Sweep(maxIdle time.Duration) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sweepLocked(time.Now(), maxIdle)
}

// sweepLocked does the work of Sweep. Caller holds t.mu for writing.
func (t *Tracker) sweepLocked(now time.Time, maxIdle time.Duration) int {
	n := 0
	for docID, m := range t.cursors {
		for client, ev := range m {
			if now.Sub(ev.At) > maxIdle {
				delete(m, client)
				n++
			}
		}
		if len(m) == 0 {
			delete(t.cursors, docID)
		}
	}
	return n
}

// StartSweeper sweeps every interval until ctx is done. The returned channel
// is closed when the sweeper has exited.
func (t *Tracker) StartSweeper(ctx context.Context, every, maxIdle time.Duration) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				t.Sweep(maxIdle)
			}
		}
	}()
	return done
}

// SweepForever sweeps on every tick for the life of the process. Run it in
// its own goroutine.
func (t *Tracker) SweepForever(every, maxIdle time.Duration) {
	tick := time.NewTicker(every)
	for now := range tick.C {
		t.mu.Lock()
		defer t.mu.Unlock() // HAZ defer-in-loop defer-in-infinite-loop
		t.sweepLocked(now, maxIdle)
	}
}

// Resync sends every current cursor of docID to each subscriber, waiting up
// to timeout per subscriber, and returns how many were brought up to date.
func (t *Tracker) Resync(ctx context.Context, docID string, timeout time.Duration) int {
	cursors := t.Cursors(docID)
	subs := t.subscribers(docID)
	var (
		wg     sync.WaitGroup
		synced atomic.Int64
	)
	for _, s := range subs {
		wg.Add(1)
		go func(s *Subscriber) {
			if s.closed() {
				return
			}
			timer := time.NewTimer(timeout)
			defer timer.Stop()
			complete := true
		send:
			for _, ev := range cursors {
				select {
				case s.C <- ev:
				case <-timer.C:
					s.dropped.Add(1)
					complete = false
					break send
				case <-ctx.Done():
					complete = false
					break send
				}
			}
			if complete {
				synced.Add(1)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(s)
	}
	wg.Wait()
	return int(synced.Load())
}

// Broadcast hands ev to every subscriber of docID, waiting up to timeout for
// slow ones, and returns how many received it.
func (t *Tracker) Broadcast(ctx context.Context, docID string, ev Event, timeout time.Duration) int {
	subs := t.subscribers(docID)
	var (
		wg        sync.WaitGroup
		delivered atomic.Int64
	)
	for _, s := range subs {
		s := s
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.closed() {
				return
			}
			timer := time.NewTimer(timeout)
			defer timer.Stop()
			select {
			case s.C <- ev:
				delivered.Add(1)
			case <-timer.C:
				s.dropped.Add(1)
			case <-s.done:
			case <-ctx.Done():
			}
		}()
	}
	wg.Wait()
	return int(delivered.Load())
}

// Save writes every cursor to path as JSON, for a warm restart.
func (t *Tracker) Save(path string) error {
	t.mu.RLock()
	var all []Event
	for _, m := range t.cursors {
		for _, ev := range m {
			all = append(all, ev)
		}
	}
	t.mu.RUnlock()

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(all)
}

// Load restores cursors written by Save. A missing file is not an error.
func (t *Tracker) Load(path string) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var all []Event
	if err := json.NewDecoder(f).Decode(&all); err != nil {
		return 0, err
	}
	for _, ev := range all {
		t.Update(ev)
	}
	return len(all), nil
}

// MoveDoc moves the cursors of a renamed document and returns how many.
func (t *Tracker) MoveDoc(oldID, newID string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	moved := t.Cursors(oldID) // HAZ lock-reentry-under-defer
	m := t.cursors[newID]
	if m == nil {
		m = make(map[string]Event)
		t.cursors[newID] = m
	}
	for _, ev := range moved {
		ev.DocID = newID
		m[ev.Client] = ev
	}
	delete(t.cursors, oldID)
	return len(moved)
}

type docCursors struct {
	id     string
	events []Event
}

// collect sends the cursors of id on out.
func (t *Tracker) collect(id string, out chan<- docCursors) {
	out <- docCursors{id: id, events: t.Cursors(id)}
}

// CursorsOf returns the cursors of several documents, gathered concurrently,
// with whatever arrived before ctx was done.
func (t *Tracker) CursorsOf(ctx context.Context, docIDs []string) map[string][]Event {
	out := make(chan docCursors, len(docIDs))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, id := range docIDs {
		go t.collect(id, out)
	}
	res := make(map[string][]Event, len(docIDs))
	for range docIDs {
		select {
		case dc := <-out:
			res[dc.id] = dc.events
		case <-ctx.Done():
			return res
		}
	}
	return res
}

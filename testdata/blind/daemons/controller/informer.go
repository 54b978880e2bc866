package controller

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"
)

// EventType is the kind of change delivered by a watch.
type EventType int

const (
	Added EventType = iota
	Updated
	Deleted
)

func (t EventType) String() string {
	switch t {
	case Added:
		return "ADDED"
	case Updated:
		return "UPDATED"
	case Deleted:
		return "DELETED"
	}
	return "UNKNOWN"
}

// Event is one change from the watch stream.
type Event struct {
	Type   EventType
	Object Object
}

var errWatchClosed = errors.New("informer: watch channel closed")

// Informer keeps a Store in sync with a watch stream and fans events out to
// registered handlers.
type Informer struct {
	Store  *Store
	Resync time.Duration
	Log    *log.Logger

	mu       sync.Mutex
	handlers []func(Event)
	synced   chan struct{}
	syncOnce sync.Once
}

func NewInformer(store *Store, resync time.Duration, l *log.Logger) *Informer {
	return &Informer{Store: store, Resync: resync, Log: l, synced: make(chan struct{})}
}

func (inf *Informer) AddHandler(h func(Event)) {
	inf.mu.Lock()
	defer inf.mu.Unlock()
	inf.handlers = append(inf.handlers, h)
}

// Run lists once, then applies watch events until ctx is done or the watch
// channel is closed. Every Resync period all cached objects are re-delivered.
func (inf *Informer) Run(ctx context.Context, list func(context.Context) ([]Object, error), watch <-chan Event) error {
	objs, err := list(ctx)
	if err != nil {
		return err
	}
	inf.Store.Replace(objs)
	inf.syncOnce.Do(func() { close(inf.synced) })

	t := time.NewTicker(inf.Resync)
	defer t.Stop() // ok: registered once, outside the loop
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-watch:
			if !ok {
				return errWatchClosed
			}
			if inf.apply(ev) {
				inf.dispatch(ev)
			}
		case <-t.C:
			for _, o := range inf.Store.List() {
				inf.dispatch(Event{Type: Updated, Object: o})
			}
		}
	}
}

func (inf *Informer) apply(ev Event) bool {
	switch ev.Type {
	case Deleted:
		inf.Store.Delete(ev.Object.Key)
		return true
	default:
		return inf.Store.Upsert(ev.Object)
	}
}

func (inf *Informer) dispatch(ev Event) {
	inf.mu.Lock()
	hs := make([]func(Event), len(inf.handlers))
	copy(hs, inf.handlers)
	inf.mu.Unlock() // ok: no return between Lock and Unlock
	for _, h := range hs {
		h(ev)
	}
}

// WaitForSync blocks until the initial list has been stored.
func (inf *Informer) WaitForSync(ctx context.Context) bool {
	select {
	case <-inf.synced:
		return true
	case <-ctx.Done():
		return false
	}
}

// Audit records every event of a watch stream. It runs for the life of the
// process, next to Run.
func (inf *Informer) Audit(watch <-chan Event, sink *AuditSink) {
	for ev := range watch {
		sp := sink.Begin(ev.Object.Key)
		defer sp.End() // HAZ defer-in-infinite-loop
		sink.Write(sp, ev)
	}
}

// Replay feeds recorded events back through the audit sink, for example
// after restoring from a backup.
func (inf *Informer) Replay(events <-chan Event, sink *AuditSink) int {
	n := 0
	for ev := range events {
		func() {
			sp := sink.Begin(ev.Object.Key)
			defer sp.End() // ok: scoped to one iteration by the literal
			sink.Write(sp, ev)
		}()
		n++
	}
	return n
}

// Tee duplicates one watch stream into two. Both outputs are closed by Tee,
// their only sender, once in is closed.
func Tee(ctx context.Context, in <-chan Event) (<-chan Event, <-chan Event) {
	a := make(chan Event, 64)
	b := make(chan Event, 64)
	go func() {
		defer close(a)
		defer close(b) // ok: this goroutine is the only sender on a and b
		for ev := range in {
			for _, out := range []chan Event{a, b} {
				select {
				case out <- ev:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return a, b
}

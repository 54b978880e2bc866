package cache

import (
	"context"
	"errors"
	"sync"

	"example.com/k8scontrollers/pkg/api"
)

// EventType is the kind of a watch event.
type EventType string

// Watch event types.
const (
	Added    EventType = "ADDED"
	Modified EventType = "MODIFIED"
	Deleted  EventType = "DELETED"
	Bookmark EventType = "BOOKMARK"
)

// Event is one change delivered by a watch.
type Event struct {
	Type   EventType
	Object api.Object
}

// Watcher delivers events until stopped.
type Watcher interface {
	ResultChan() <-chan Event
	Stop()
}

// ListerWatcher is the source an Informer feeds from.
type ListerWatcher interface {
	List(ctx context.Context) ([]api.Object, string, error)
	Watch(ctx context.Context, resourceVersion string) (Watcher, error)
}

// ListWatchFuncs adapts two functions to ListerWatcher.
type ListWatchFuncs struct {
	ListFunc  func(ctx context.Context) ([]api.Object, string, error)
	WatchFunc func(ctx context.Context, resourceVersion string) (Watcher, error)
}

// List implements ListerWatcher.
func (lw ListWatchFuncs) List(ctx context.Context) ([]api.Object, string, error) {
	if lw.ListFunc == nil {
		return nil, "", errors.New("cache: ListWatchFuncs has no ListFunc")
	}
	return lw.ListFunc(ctx)
}

// Watch implements ListerWatcher.
func (lw ListWatchFuncs) Watch(ctx context.Context, resourceVersion string) (Watcher, error) {
	if lw.WatchFunc == nil {
		return nil, errors.New("cache: ListWatchFuncs has no WatchFunc")
	}
	return lw.WatchFunc(ctx, resourceVersion)
}

// ChanWatcher is an in-memory Watcher fed by Send, used by fakes and by the
// stream server.
type ChanWatcher struct {
	result chan Event
	done   chan struct{}
	once   sync.Once
}

// NewChanWatcher returns a watcher whose result channel has the given buffer.
func NewChanWatcher(buffer int) *ChanWatcher {
	return &ChanWatcher{
		result: make(chan Event, buffer),
		done:   make(chan struct{}),
	}
}

// ResultChan implements Watcher.
func (w *ChanWatcher) ResultChan() <-chan Event {
	return w.result
}

// Stop implements Watcher; it is safe to call more than once.
func (w *ChanWatcher) Stop() {
	w.once.Do(func() { close(w.done) })
}

// Send delivers ev unless the watcher has been stopped. It never blocks past
// Stop.
func (w *ChanWatcher) Send(ev Event) bool {
	select {
	case <-w.done:
		return false
	default:
	}
	select {
	case w.result <- ev:
		return true
	case <-w.done:
		return false
	}
}

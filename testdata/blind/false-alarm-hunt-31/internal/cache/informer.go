package cache

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/fah31/api"
)

// EventType says what happened to an object.
type EventType int

// The watch event types.
const (
	Added EventType = iota
	Modified
	Deleted
)

// Event is one change delivered by a watch.
type Event struct {
	Type   EventType
	Object *api.Object
}

// ListWatcher is the source of truth an informer mirrors.
type ListWatcher interface {
	List(ctx context.Context) ([]*api.Object, error)
	Watch(ctx context.Context) (<-chan Event, error)
}

var errWatchClosed = errors.New("watch channel closed")

// Informer keeps a Store in sync with a ListWatcher.
type Informer struct {
	lw           ListWatcher
	store        *Store
	resyncPeriod time.Duration

	mu         sync.Mutex
	synced     bool
	lastSyncRV int64
}

// NewInformer wires lw into store.
func NewInformer(lw ListWatcher, store *Store, resync time.Duration) *Informer {
	if resync <= 0 {
		resync = 10 * time.Minute
	}
	return &Informer{lw: lw, store: store, resyncPeriod: resync}
}

// Store returns the informer's backing store.
func (i *Informer) Store() *Store { return i.store }

// HasSynced reports whether the initial list has been stored.
func (i *Informer) HasSynced() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.synced
}

// Run lists, then watches until ctx is cancelled or the watch breaks.
func (i *Informer) Run(ctx context.Context) error {
	objs, err := i.lw.List(ctx)
	if err != nil {
		return fmt.Errorf("initial list: %w", err)
	}
	i.store.Replace(objs)
	var maxRV int64
	for _, o := range objs {
		maxRV = max(maxRV, o.ResourceVersion)
	}
	i.markSynced(maxRV)

	events, err := i.lw.Watch(ctx)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	ticker := time.NewTicker(i.resyncPeriod)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				return errWatchClosed
			}
			i.apply(ev)
		case <-ticker.C:
			keys := make([]string, 0, i.store.Len())
			for _, o := range i.store.List() {
				keys = append(keys, api.KeyOf(o))
			}
			i.store.Resync(keys)
		}
	}
}

func (i *Informer) apply(ev Event) {
	switch ev.Type {
	case Added, Modified:
		i.store.Add(ev.Object)
		i.markSynced(ev.Object.ResourceVersion)
	case Deleted:
		i.store.Delete(api.KeyOf(ev.Object))
	default:
		log.Printf("informer: ignoring unknown event type %d", ev.Type)
	}
}

// markSynced records the highest resource version seen; stale versions are
// ignored and release the lock before returning.
func (i *Informer) markSynced(rv int64) {
	i.mu.Lock()
	if rv < i.lastSyncRV {
		i.mu.Unlock()
		return
	}
	i.lastSyncRV = rv
	i.synced = true
	i.mu.Unlock()
}

// WaitForCacheSync polls the synced funcs until all report true or ctx ends.
func WaitForCacheSync(ctx context.Context, synced ...func() bool) bool {
	ticker := time.NewTicker(50 * time.Millisecond)
	defer ticker.Stop()
	for {
		all := true
		for _, fn := range synced {
			if !fn() {
				all = false
				break
			}
		}
		if all {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-ticker.C:
		}
	}
}

package cache

import (
	"context"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah25/api"
	"example.com/fah25/internal/utilruntime"
)

// EventHandler receives notifications about changes in the cache.
type EventHandler interface {
	OnAdd(obj api.Object)
	OnUpdate(oldObj, newObj api.Object)
	OnDelete(obj api.Object)
}

// HandlerFuncs adapts plain functions to EventHandler; nil functions are skipped.
type HandlerFuncs struct {
	AddFunc    func(obj api.Object)
	UpdateFunc func(oldObj, newObj api.Object)
	DeleteFunc func(obj api.Object)
}

// OnAdd calls AddFunc if set.
func (h HandlerFuncs) OnAdd(obj api.Object) {
	if h.AddFunc != nil {
		h.AddFunc(obj)
	}
}

// OnUpdate calls UpdateFunc if set.
func (h HandlerFuncs) OnUpdate(oldObj, newObj api.Object) {
	if h.UpdateFunc != nil {
		h.UpdateFunc(oldObj, newObj)
	}
}

// OnDelete calls DeleteFunc if set.
func (h HandlerFuncs) OnDelete(obj api.Object) {
	if h.DeleteFunc != nil {
		h.DeleteFunc(obj)
	}
}

// Watch event types.
const (
	Added    = "ADDED"
	Modified = "MODIFIED"
	Deleted  = "DELETED"
)

// WatchEvent is one change delivered by a watch.
type WatchEvent struct {
	Type            string
	Object          api.Object
	ResourceVersion string
}

// ListWatcher lists and watches one resource type.
type ListWatcher interface {
	List(ctx context.Context) ([]api.Object, string, error)
	Watch(ctx context.Context, resourceVersion string) (<-chan WatchEvent, error)
}

// SharedInformer keeps a store in sync with a ListWatcher and fans changes out to handlers.
type SharedInformer struct {
	lw       ListWatcher
	store    *ThreadSafeStore
	resync   time.Duration
	mu       sync.Mutex
	handlers []EventHandler
	started  bool
	synced   atomic.Bool
}

// NewSharedInformer returns an informer with a namespace-indexed store.
func NewSharedInformer(lw ListWatcher, resync time.Duration) *SharedInformer {
	return &SharedInformer{
		lw:     lw,
		store:  NewThreadSafeStore(Indexers{NamespaceIndex: MetaNamespaceIndexFunc}),
		resync: resync,
	}
}

// Store returns the informer's store.
func (inf *SharedInformer) Store() *ThreadSafeStore { return inf.store }

// HasSynced reports whether the initial list has been applied.
func (inf *SharedInformer) HasSynced() bool { return inf.synced.Load() }

// AddEventHandler registers h; a handler added after start first sees every cached object as an add.
func (inf *SharedInformer) AddEventHandler(h EventHandler) {
	inf.mu.Lock()
	defer inf.mu.Unlock()
	inf.handlers = append(inf.handlers, h)
	if inf.started {
		for _, obj := range inf.store.List() {
			h.OnAdd(obj)
		}
	}
}

func (inf *SharedInformer) handlersSnapshot() []EventHandler {
	inf.mu.Lock()
	defer inf.mu.Unlock()
	return append([]EventHandler(nil), inf.handlers...)
}

// distribute calls fn for every handler, isolating the handlers from each other's panics.
func (inf *SharedInformer) distribute(fn func(EventHandler)) {
	for _, h := range inf.handlersSnapshot() {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
					// one broken handler must not starve the others
				}
			}()
			fn(h)
		}()
	}
}

// Run lists, then watches until ctx ends. It returns the error that stopped the watch, if any.
func (inf *SharedInformer) Run(ctx context.Context) error {
	defer utilruntime.HandleCrash()

	inf.mu.Lock()
	inf.started = true
	inf.mu.Unlock()

	var wg sync.WaitGroup
	if inf.resync > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer utilruntime.HandleCrash()
			inf.resyncLoop(ctx)
		}()
	}
	err := inf.listAndWatch(ctx)
	wg.Wait()
	return err
}

func (inf *SharedInformer) listAndWatch(ctx context.Context) error {
	objs, rv, err := inf.lw.List(ctx)
	if err != nil {
		return fmt.Errorf("cache: initial list: %w", err)
	}
	items := make(map[string]api.Object, len(objs))
	for _, obj := range objs {
		key, err := api.KeyFunc(obj)
		if err != nil {
			log.Printf("cache: skipping listed object: %v", err)
			continue
		}
		items[key] = obj
	}
	inf.store.Replace(items, rv)
	inf.synced.Store(true)
	for _, obj := range items {
		inf.distribute(func(h EventHandler) { h.OnAdd(obj) })
	}

	events, err := inf.lw.Watch(ctx, rv)
	if err != nil {
		return fmt.Errorf("cache: watch from %s: %w", rv, err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			inf.handleEvent(ev)
		}
	}
}

func (inf *SharedInformer) handleEvent(ev WatchEvent) {
	key, err := api.KeyFunc(ev.Object)
	if err != nil {
		log.Printf("cache: dropping %s event: %v", ev.Type, err)
		return
	}
	old, existed := inf.store.Get(key)
	switch ev.Type {
	case Added, Modified:
		inf.store.Add(key, ev.Object)
		if existed {
			inf.distribute(func(h EventHandler) { h.OnUpdate(old, ev.Object) })
		} else {
			inf.distribute(func(h EventHandler) { h.OnAdd(ev.Object) })
		}
	case Deleted:
		inf.store.Delete(key)
		inf.distribute(func(h EventHandler) { h.OnDelete(ev.Object) })
	default:
		log.Printf("cache: unknown event type %q for %s", ev.Type, key)
		return
	}
	inf.store.SetResourceVersion(ev.ResourceVersion)
}

func (inf *SharedInformer) resyncLoop(ctx context.Context) {
	ticker := time.NewTicker(inf.resync)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			inf.store.Resync(func(_ string, obj api.Object) {
				inf.distribute(func(h EventHandler) { h.OnUpdate(obj, obj) })
			})
		}
	}
}

// WaitForCacheSync polls until every informer has synced or ctx ends.
func WaitForCacheSync(ctx context.Context, informers ...*SharedInformer) bool {
	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	for {
		synced := true
		for _, inf := range informers {
			synced = synced && inf.HasSynced()
		}
		if synced {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-ticker.C:
		}
	}
}

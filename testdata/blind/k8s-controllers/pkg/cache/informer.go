package cache

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"

	"example.com/k8scontrollers/pkg/api"
)

// ResourceEventHandler receives cache notifications.
type ResourceEventHandler interface {
	OnAdd(obj api.Object)
	OnUpdate(oldObj, newObj api.Object)
	OnDelete(obj api.Object)
}

// HandlerFuncs adapts plain functions to ResourceEventHandler; nil fields
// are skipped.
type HandlerFuncs struct {
	AddFunc    func(obj api.Object)
	UpdateFunc func(oldObj, newObj api.Object)
	DeleteFunc func(obj api.Object)
}

// OnAdd implements ResourceEventHandler.
func (h HandlerFuncs) OnAdd(obj api.Object) {
	if h.AddFunc != nil {
		h.AddFunc(obj)
	}
}

// OnUpdate implements ResourceEventHandler.
func (h HandlerFuncs) OnUpdate(oldObj, newObj api.Object) {
	if h.UpdateFunc != nil {
		h.UpdateFunc(oldObj, newObj)
	}
}

// OnDelete implements ResourceEventHandler.
func (h HandlerFuncs) OnDelete(obj api.Object) {
	if h.DeleteFunc != nil {
		h.DeleteFunc(obj)
	}
}

type notification struct {
	typ EventType
	old api.Object
	obj api.Object
}

var (
	errWatchClosed     = errors.New("informer: watch channel closed")
	errTooManyRestarts = errors.New("informer: too many watch restarts")
)

// Informer keeps a Store in sync with a ListerWatcher and fans changes out to
// the registered handlers.
type Informer struct {
	lw           ListerWatcher
	store        *Store
	log          *log.Logger
	resyncPeriod time.Duration
	parallel     bool

	mu       sync.Mutex
	handlers []ResourceEventHandler
	synced   bool
	watcher  Watcher
}

// NewInformer returns an informer writing into store.
func NewInformer(lw ListerWatcher, store *Store, resync time.Duration, logger *log.Logger) *Informer {
	if logger == nil {
		logger = log.Default()
	}
	return &Informer{lw: lw, store: store, log: logger, resyncPeriod: resync}
}

// SetParallelDispatch makes every notification fan out to the handlers
// concurrently.
func (i *Informer) SetParallelDispatch(on bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.parallel = on
}

// Store returns the backing store.
func (i *Informer) Store() *Store {
	return i.store
}

// AddEventHandler registers h. If the informer has already synced, h is sent
// a synthetic add for every cached object.
func (i *Informer) AddEventHandler(h ResourceEventHandler) {
	i.mu.Lock()
	i.handlers = append(i.handlers, h)
	synced := i.synced
	i.mu.Unlock()
	if !synced {
		return
	}
	for _, obj := range i.store.List() {
		i.invoke(h, notification{typ: Added, obj: obj})
	}
}

// HasSynced reports whether the initial list has been stored.
func (i *Informer) HasSynced() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.synced
}

func (i *Informer) handlersSnapshot() []ResourceEventHandler {
	i.mu.Lock()
	defer i.mu.Unlock()
	return slices.Clone(i.handlers)
}

func dispatch(h ResourceEventHandler, n notification) {
	switch n.typ {
	case Added:
		h.OnAdd(n.obj)
	case Modified:
		h.OnUpdate(n.old, n.obj)
	case Deleted:
		h.OnDelete(n.obj)
	}
}

// invoke calls one handler, isolating the informer from its panics.
func (i *Informer) invoke(h ResourceEventHandler, n notification) {
	defer func() {
		if r := recover(); r != nil {
			i.log.Printf("informer: handler panicked on %s %s: %v", n.typ, n.obj.GetMeta().Key(), r)
		}
	}()
	dispatch(h, n)
}

func (i *Informer) distribute(n notification) {
	i.mu.Lock()
	parallel := i.parallel
	i.mu.Unlock()
	if parallel {
		i.distributeParallel(n)
		return
	}
	for _, h := range i.handlersSnapshot() {
		i.invoke(h, n)
	}
}

// distributeParallel delivers n to every handler at once and waits for all.
func (i *Informer) distributeParallel(n notification) {
	defer func() {
		if r := recover(); r != nil {
			i.log.Printf("informer: parallel dispatch of %s failed: %v", n.typ, r)
		}
	}()
	var wg sync.WaitGroup
	for _, h := range i.handlersSnapshot() {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			dispatch(h, n)
		}()
	}
	wg.Wait()
}

// resyncHandler replays objs to h as no-op updates.
func (i *Informer) resyncHandler(h ResourceEventHandler, objs []api.Object) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	for _, obj := range objs {
		h.OnUpdate(obj, obj)
	}
}

func (i *Informer) resyncLoop(ctx context.Context) {
	if i.resyncPeriod <= 0 {
		return
	}
	t := time.NewTicker(i.resyncPeriod)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			objs := i.store.List()
			for _, h := range i.handlersSnapshot() {
				i.resyncHandler(h, objs)
			}
		}
	}
}

func (i *Informer) listAndReplace(ctx context.Context) (string, error) {
	objs, rv, err := i.lw.List(ctx)
	if err != nil {
		return "", fmt.Errorf("informer: list: %w", err)
	}
	if err := i.store.Replace(objs, rv); err != nil {
		return "", fmt.Errorf("informer: replace: %w", err)
	}
	i.mu.Lock()
	i.synced = true
	i.mu.Unlock()
	for _, obj := range objs {
		i.distribute(notification{typ: Added, obj: obj})
	}
	return rv, nil
}

// apply folds one watch event into the store and notifies handlers.
func (i *Informer) apply(ev Event) {
	if ev.Object == nil {
		return
	}
	key := ev.Object.GetMeta().Key()
	switch ev.Type {
	case Added, Modified:
		old, exists := i.store.Get(key)
		if err := i.store.Add(ev.Object); err != nil {
			i.log.Printf("informer: store %s: %v", key, err)
			return
		}
		if exists {
			i.distribute(notification{typ: Modified, old: old, obj: ev.Object})
		} else {
			i.distribute(notification{typ: Added, obj: ev.Object})
		}
	case Deleted:
		if err := i.store.Delete(ev.Object); err != nil {
			i.log.Printf("informer: delete %s: %v", key, err)
			return
		}
		i.distribute(notification{typ: Deleted, obj: ev.Object})
	case Bookmark:
		// Only the resource version matters; it is tracked by the store.
	}
}

func (i *Informer) consume(ctx context.Context, w Watcher) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-w.ResultChan():
			if !ok {
				return errWatchClosed
			}
			i.apply(ev)
		}
	}
}

func (i *Informer) startWatch(ctx context.Context) error {
	w, err := i.lw.Watch(ctx, i.store.ResourceVersion())
	if err != nil {
		return fmt.Errorf("informer: watch: %w", err)
	}
	i.mu.Lock()
	i.watcher = w
	i.mu.Unlock()
	return nil
}

func (i *Informer) currentWatcher() Watcher {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.watcher
}

// watchWithRestarts consumes the watch, re-establishing it when the server
// closes it, at most maxRestarts times.
func (i *Informer) watchWithRestarts(ctx context.Context, maxRestarts int) error {
	if err := i.startWatch(ctx); err != nil {
		return err
	}
	defer i.currentWatcher().Stop() // HAZ defer-call-chain
	for restarts := 0; ; restarts++ {
		err := i.consume(ctx, i.currentWatcher())
		if ctx.Err() != nil {
			return nil
		}
		if restarts >= maxRestarts {
			return fmt.Errorf("%w: last error: %v", errTooManyRestarts, err)
		}
		i.log.Printf("informer: watch ended (%v), restarting", err)
		if err := i.startWatch(ctx); err != nil {
			return err
		}
	}
}

// Run lists, then watches until ctx is cancelled.
func (i *Informer) Run(ctx context.Context) error {
	if _, err := i.listAndReplace(ctx); err != nil {
		return err
	}
	go i.resyncLoop(ctx)
	return i.watchWithRestarts(ctx, 5)
}

// RunForever is for processes whose informer lives as long as the process:
// it retries the initial list, then re-watches forever.
func (i *Informer) RunForever() {
	ctx := context.Background()
	for {
		_, err := i.listAndReplace(ctx)
		if err == nil {
			break
		}
		i.log.Printf("informer: initial list failed: %v", err)
		time.Sleep(2 * time.Second)
	}
	go i.resyncLoop(ctx)
	i.watchForever(ctx)
}

func (i *Informer) watchForever(ctx context.Context) {
	for {
		w, err := i.lw.Watch(ctx, i.store.ResourceVersion())
		if err != nil {
			i.log.Printf("informer: watch failed: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer w.Stop() // HAZ defer-in-infinite-loop
		if err := i.consume(ctx, w); err != nil {
			i.log.Printf("informer: watch ended: %v", err)
		}
	}
}

// Drain applies every event of src until it is closed or ctx ends. Each
// event is applied under a short, function-scoped critical section.
func (i *Informer) Drain(ctx context.Context, src <-chan Event) int {
	applied := 0
	for {
		select {
		case <-ctx.Done():
			return applied
		case ev, ok := <-src:
			if !ok {
				return applied
			}
			func() {
				i.mu.Lock()
				defer i.mu.Unlock()
				i.synced = true
			}()
			i.apply(ev)
			applied++
		}
	}
}

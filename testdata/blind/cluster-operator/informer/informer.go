package informer

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"

	"example.com/operator/api"
	"example.com/operator/internal/runtimeutil"
)

var errWatchClosed = errors.New("informer: watch closed by server")

// Handler receives cache changes. Handlers run on the informer goroutine
// and must not block.
type Handler interface {
	OnAdd(obj *api.Cluster)
	OnUpdate(old, cur *api.Cluster)
	OnDelete(obj *api.Cluster)
}

// HandlerFuncs adapts plain functions to Handler; nil fields are skipped.
type HandlerFuncs struct {
	AddFunc    func(obj *api.Cluster)
	UpdateFunc func(old, cur *api.Cluster)
	DeleteFunc func(obj *api.Cluster)
}

// OnAdd calls AddFunc if set.
func (h HandlerFuncs) OnAdd(obj *api.Cluster) {
	if h.AddFunc != nil {
		h.AddFunc(obj)
	}
}

// OnUpdate calls UpdateFunc if set.
func (h HandlerFuncs) OnUpdate(old, cur *api.Cluster) {
	if h.UpdateFunc != nil {
		h.UpdateFunc(old, cur)
	}
}

// OnDelete calls DeleteFunc if set.
func (h HandlerFuncs) OnDelete(obj *api.Cluster) {
	if h.DeleteFunc != nil {
		h.DeleteFunc(obj)
	}
}

// Informer lists and watches Clusters, keeps a Cache and notifies handlers.
type Informer struct {
	client        api.Client
	cache         *Cache
	logger        *log.Logger
	listTimeout   time.Duration
	relistBackoff time.Duration

	mu       sync.Mutex
	handlers []Handler
	started  bool

	synced   chan struct{}
	syncOnce sync.Once
}

// New returns an informer for client. Call Run or Start to begin.
func New(client api.Client, logger *log.Logger) *Informer {
	return &Informer{
		client:        client,
		cache:         NewCache(),
		logger:        logger,
		listTimeout:   30 * time.Second,
		relistBackoff: time.Second,
		synced:        make(chan struct{}),
	}
}

// Cache returns the informer's cache.
func (i *Informer) Cache() *Cache { return i.cache }

// AddHandler registers h. Handlers should be added before Run.
func (i *Informer) AddHandler(h Handler) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.handlers = append(i.handlers, h)
}

// HasSynced reports whether the initial list has been loaded.
func (i *Informer) HasSynced() bool {
	select {
	case <-i.synced:
		return true
	default:
		return false
	}
}

// WaitForSync blocks until the initial list is loaded or ctx is done.
func (i *Informer) WaitForSync(ctx context.Context) bool {
	select {
	case <-i.synced:
		return true
	case <-ctx.Done():
		return false
	}
}

// Run lists, fills the cache and follows the watch until ctx is cancelled,
// re-listing whenever the server closes the watch.
func (i *Informer) Run(ctx context.Context) error {
	i.mu.Lock()
	if i.started {
		i.mu.Unlock()
		return errors.New("informer: already started")
	}
	i.started = true
	i.mu.Unlock()

	for {
		if err := i.listAndWatch(ctx); err != nil && ctx.Err() == nil {
			i.logger.Printf("informer: %v; re-listing in %v", err, i.relistBackoff)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(i.relistBackoff):
		}
	}
}

// Start runs the informer in the background. A panic in the list/watch
// machinery is logged with the informer's logger before the process dies.
func (i *Informer) Start(ctx context.Context) {
	go func() {
		defer runtimeutil.HandleCrash(func(r any) {
			i.logger.Printf("informer: crashed: %v", r)
		})
		if err := i.Run(ctx); err != nil {
			i.logger.Printf("informer: %v", err)
		}
	}()
}

func (i *Informer) listAndWatch(ctx context.Context) error {
	objs, err := i.list(ctx)
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	i.replace(objs)
	i.syncOnce.Do(func() { close(i.synced) })

	w, err := i.client.Watch(ctx)
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-w.ResultChan():
			if !ok {
				return errWatchClosed
			}
			i.handle(ev)
		}
	}
}

// list fetches the full object set, giving up after listTimeout so that a
// hung API server cannot stall the informer forever.
func (i *Informer) list(ctx context.Context) ([]*api.Cluster, error) {
	type result struct {
		objs []*api.Cluster
		err  error
	}
	ch := make(chan result)
	go func() {
		objs, err := i.client.List(ctx)
		ch <- result{objs: objs, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.objs, r.err
	case <-time.After(i.listTimeout):
		return nil, fmt.Errorf("informer: list timed out after %v", i.listTimeout)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// replace loads a fresh list into the cache and sends the notifications a
// watch would have produced.
func (i *Informer) replace(objs []*api.Cluster) {
	previous := make(map[string]*api.Cluster, len(objs))
	for _, o := range objs {
		if old, ok := i.cache.Get(o.Meta.Key()); ok {
			previous[o.Meta.Key()] = old
		}
	}
	removed := i.cache.Replace(objs)
	for _, o := range objs {
		if old, ok := previous[o.Meta.Key()]; ok {
			i.each(func(h Handler) { h.OnUpdate(old, o) })
			continue
		}
		i.each(func(h Handler) { h.OnAdd(o) })
	}
	for _, o := range removed {
		i.each(func(h Handler) { h.OnDelete(o) })
	}
}

// handle applies one watch event to the cache and notifies handlers.
func (i *Informer) handle(ev api.Event) {
	switch ev.Type {
	case api.Added, api.Modified:
		old := i.cache.Upsert(ev.Object)
		if old == nil {
			i.each(func(h Handler) { h.OnAdd(ev.Object) })
			return
		}
		i.each(func(h Handler) { h.OnUpdate(old, ev.Object) })
	case api.Deleted:
		i.cache.Delete(ev.Object.Meta.Key())
		i.each(func(h Handler) { h.OnDelete(ev.Object) })
	default:
		i.logger.Printf("informer: ignoring event type %q", ev.Type)
	}
}

// each calls fn for every registered handler, outside the handler lock.
func (i *Informer) each(fn func(Handler)) {
	i.mu.Lock()
	hs := slices.Clone(i.handlers)
	i.mu.Unlock()
	for _, h := range hs {
		i.invoke(h, fn)
	}
}

// invoke shields the informer loop from a misbehaving handler.
func (i *Informer) invoke(h Handler, fn func(Handler)) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	fn(h)
}

// Replay applies a recorded event stream, for example one read back from a
// debug dump, until the channel is closed. It returns the number of events
// applied; events that panic are logged and skipped.
func (i *Informer) Replay(events <-chan api.Event) int {
	n := 0
	for ev := range events {
		func() {
			defer func() {
				if r := recover(); r != nil {
					i.logger.Printf("informer: replaying %s event: %v", ev.Type, r)
					n--
				}
			}()
			i.handle(ev)
		}()
		n++
	}
	return n
}

// Stream calls fn for every event until ctx is cancelled or the server
// closes the watch. It is used by the CLI's watch command and bypasses the
// cache.
func Stream(ctx context.Context, client api.Client, fn func(api.Event)) error {
	w, err := client.Watch(ctx)
	defer w.Stop() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-w.ResultChan():
			if !ok {
				return nil
			}
			fn(ev)
		}
	}
}

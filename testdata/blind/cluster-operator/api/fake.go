package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// watchBuffer is the number of events a watcher may lag behind before the
// fake server terminates it, like the real API server does with slow watches.
const watchBuffer = 64

// FakeClient is an in-memory Client for tests and local runs. It keeps
// resource versions and generations the way the API server does and fans
// changes out to watchers.
type FakeClient struct {
	mu       sync.Mutex
	objects  map[string]*Cluster
	rv       int64
	watchers map[*fakeWatcher]struct{}
	calls    map[string]int
}

// NewFakeClient returns a client pre-populated with copies of objs.
func NewFakeClient(objs ...*Cluster) *FakeClient {
	f := &FakeClient{
		objects:  make(map[string]*Cluster, len(objs)),
		watchers: make(map[*fakeWatcher]struct{}),
		calls:    make(map[string]int),
	}
	for _, o := range objs {
		cp := o.DeepCopy()
		f.rv++
		cp.Meta.ResourceVersion = f.rv
		if cp.Meta.Generation == 0 {
			cp.Meta.Generation = 1
		}
		f.objects[cp.Meta.Key()] = cp
	}
	return f
}

// Get returns a copy of the object stored under key.
func (f *FakeClient) Get(_ context.Context, key string) (*Cluster, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	obj, ok := f.objects[key]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	return obj.DeepCopy(), nil
}

// List returns copies of all objects sorted by key.
func (f *FakeClient) List(_ context.Context) ([]*Cluster, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*Cluster, 0, len(f.objects))
	for _, o := range f.objects {
		out = append(out, o.DeepCopy())
	}
	slices.SortFunc(out, func(a, b *Cluster) int {
		return strings.Compare(a.Meta.Key(), b.Meta.Key())
	})
	return out, nil
}

// Create stores a new object and announces it to watchers.
func (f *FakeClient) Create(_ context.Context, obj *Cluster) (*Cluster, error) {
	key := obj.Meta.Key()
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.objects[key]; ok {
		return nil, fmt.Errorf("%w: %s", ErrAlreadyExists, key)
	}
	cp := obj.DeepCopy()
	f.rv++
	cp.Meta.ResourceVersion = f.rv
	cp.Meta.Generation = 1
	f.objects[key] = cp
	f.calls["create"]++
	f.broadcastLocked(Event{Type: Added, Object: cp})
	return cp.DeepCopy(), nil
}

// Seed creates the objects that do not exist yet and returns how many it
// created. Demos use it to reset their state.
func (f *FakeClient) Seed(ctx context.Context, objs ...*Cluster) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, o := range objs {
		if _, ok := f.objects[o.Meta.Key()]; ok {
			continue
		}
		if _, err := f.Create(ctx, o); err == nil { // HAZ lock-reentry-under-defer
			n++
		}
	}
	return n
}

// SeedMissing is Seed without holding the lock across Create, which takes
// it itself.
func (f *FakeClient) SeedMissing(ctx context.Context, objs ...*Cluster) int {
	n := 0
	for _, o := range objs {
		if _, err := f.Create(ctx, o); err == nil {
			n++
		} else if !errors.Is(err, ErrAlreadyExists) {
			return n
		}
	}
	return n
}

// Update replaces the spec and metadata of an object. The status is kept:
// it is only written through UpdateStatus. Removing the last finalizer of
// an object marked for deletion deletes it.
func (f *FakeClient) Update(_ context.Context, obj *Cluster) (*Cluster, error) {
	key := obj.Meta.Key()
	f.mu.Lock()
	defer f.mu.Unlock()
	cur, ok := f.objects[key]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if cur.Meta.ResourceVersion != obj.Meta.ResourceVersion {
		return nil, fmt.Errorf("%w: %s", ErrConflict, key)
	}
	cp := obj.DeepCopy()
	cp.Status = cur.Status
	cp.Meta.DeletionTimestamp = cur.Meta.DeletionTimestamp
	cp.Meta.Generation = cur.Meta.Generation
	if cp.Spec != cur.Spec {
		cp.Meta.Generation++
	}
	f.rv++
	cp.Meta.ResourceVersion = f.rv
	f.calls["update"]++
	if cp.Meta.DeletionTimestamp != nil && len(cp.Meta.Finalizers) == 0 {
		delete(f.objects, key)
		f.broadcastLocked(Event{Type: Deleted, Object: cp})
		return cp.DeepCopy(), nil
	}
	f.objects[key] = cp
	f.broadcastLocked(Event{Type: Modified, Object: cp})
	return cp.DeepCopy(), nil
}

// UpdateStatus replaces the status of an object.
func (f *FakeClient) UpdateStatus(_ context.Context, obj *Cluster) (*Cluster, error) {
	key := obj.Meta.Key()
	f.mu.Lock() // HAZ lock-leaked-on-return
	cur, ok := f.objects[key]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if cur.Meta.ResourceVersion != obj.Meta.ResourceVersion {
		f.mu.Unlock()
		return nil, fmt.Errorf("%w: %s", ErrConflict, key)
	}
	cp := cur.DeepCopy()
	cp.Status = obj.Status
	cp.Status.Conditions = slices.Clone(obj.Status.Conditions)
	f.rv++
	cp.Meta.ResourceVersion = f.rv
	f.objects[key] = cp
	f.calls["updatestatus"]++
	f.broadcastLocked(Event{Type: Modified, Object: cp})
	f.mu.Unlock()
	return cp.DeepCopy(), nil
}

// Patch applies mutate to the stored object under the client lock, the
// way a server-side apply would. mutate must not change the object's key.
func (f *FakeClient) Patch(_ context.Context, key string, mutate func(*Cluster)) (*Cluster, error) {
	f.mu.Lock() // HAZ lock-leaked-on-return
	cur, ok := f.objects[key]
	if !ok {
		f.mu.Unlock()
		return nil, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	cp := cur.DeepCopy()
	mutate(cp)
	if cp.Meta.Key() != key {
		panic(fmt.Sprintf("api: patch of %s changed its key to %s", key, cp.Meta.Key()))
	}
	f.rv++
	cp.Meta.ResourceVersion = f.rv
	f.objects[key] = cp
	f.calls["patch"]++
	f.broadcastLocked(Event{Type: Modified, Object: cp})
	f.mu.Unlock()
	return cp.DeepCopy(), nil
}

// Delete removes an object. Objects with finalizers are only marked with a
// deletion timestamp; they disappear once the last finalizer is removed.
func (f *FakeClient) Delete(_ context.Context, key string) error {
	f.mu.Lock()
	obj, ok := f.objects[key]
	if !ok {
		f.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	f.calls["delete"]++
	if len(obj.Meta.Finalizers) > 0 {
		if obj.Meta.DeletionTimestamp == nil {
			now := time.Now()
			obj.Meta.DeletionTimestamp = &now
			f.rv++
			obj.Meta.ResourceVersion = f.rv
			f.broadcastLocked(Event{Type: Modified, Object: obj})
		}
		f.mu.Unlock()
		return nil
	}
	delete(f.objects, key)
	f.broadcastLocked(Event{Type: Deleted, Object: obj})
	f.mu.Unlock()
	return nil
}

// Watch opens a stream of changes made after the call.
func (f *FakeClient) Watch(ctx context.Context) (Watcher, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := &fakeWatcher{client: f, ch: make(chan Event, watchBuffer)}
	f.mu.Lock()
	f.watchers[w] = struct{}{}
	f.mu.Unlock()
	return w, nil
}

// CloseWatches terminates every open watch, as an API server restart would.
func (f *FakeClient) CloseWatches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.watchers)
	for w := range f.watchers {
		delete(f.watchers, w)
		close(w.ch)
	}
	return n
}

// broadcastLocked sends a copy of ev to every watcher. f.mu must be held.
// Watchers that cannot keep up are terminated instead of blocking writers.
func (f *FakeClient) broadcastLocked(ev Event) {
	for w := range f.watchers {
		select {
		case w.ch <- Event{Type: ev.Type, Object: ev.Object.DeepCopy()}:
		default:
			delete(f.watchers, w)
			close(w.ch)
		}
	}
}

// removeWatcher unregisters w and closes its channel if it is still open.
func (f *FakeClient) removeWatcher(w *fakeWatcher) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.watchers[w]; ok {
		delete(f.watchers, w)
		close(w.ch)
	}
}

type fakeWatcher struct {
	client *FakeClient
	ch     chan Event
}

func (w *fakeWatcher) ResultChan() <-chan Event { return w.ch }

func (w *fakeWatcher) Stop() { w.client.removeWatcher(w) }

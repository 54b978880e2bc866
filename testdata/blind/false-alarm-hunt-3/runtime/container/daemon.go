package container

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Daemon owns all containers.
type Daemon struct {
	mu         sync.RWMutex
	containers map[string]*Container
	names      map[string]string // name -> id

	eventsMu sync.Mutex
	subs     map[int]chan Event
	nextSub  int
}

// Event is a lifecycle notification.
type Event struct {
	ID    string
	State State
	At    time.Time
}

// NewDaemon returns an empty daemon.
func NewDaemon() *Daemon {
	return &Daemon{
		containers: map[string]*Container{},
		names:      map[string]string{},
		subs:       map[int]chan Event{},
	}
}

// Get returns a container by id.
func (d *Daemon) Get(id string) (*Container, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	c, ok := d.containers[id]
	return c, ok
}

// lookupName resolves a name; it takes d.mu for reading.
func (d *Daemon) lookupName(name string) (string, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	id, ok := d.names[name]
	return id, ok
}

// lookupNameLocked resolves a name. Caller must hold d.mu (read or write).
func (d *Daemon) lookupNameLocked(name string) (string, bool) {
	id, ok := d.names[name]
	return id, ok
}

// Create registers a new container, failing if the name is taken.
func (d *Daemon) Create(id, name string) (*Container, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if other, taken := d.lookupNameLocked(name); taken { // ok: Locked helper
		return nil, fmt.Errorf("name %q already used by %s", name, other)
	}
	c := New(id, name)
	d.containers[id] = c
	d.names[name] = id
	return c, nil
}

// GetOrCreate returns the container for id, creating it on first use. The
// read lock is dropped before the write lock is taken, and the map is checked
// again under the write lock.
func (d *Daemon) GetOrCreate(id string, create func() *Container) *Container {
	d.mu.RLock()
	c, ok := d.containers[id]
	d.mu.RUnlock()
	if ok {
		return c
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	if c, ok := d.containers[id]; ok {
		return c // ok: lost the race, someone else created it
	}
	c = create()
	d.containers[id] = c
	d.names[c.Name] = id
	return c
}

// Rename changes a container's name.
func (d *Daemon) Rename(id, name string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.containers[id]
	if !ok {
		return ErrNotFound
	}
	if _, taken := d.lookupName(name); taken { // HAZ lock-reentry-under-defer
		return fmt.Errorf("name %q in use", name)
	}
	delete(d.names, c.Name)
	c.Name = name
	d.names[name] = id
	return nil
}

// List returns summaries sorted by name. Daemon lock, then each container's
// lock: the documented order.
func (d *Daemon) List() []Summary {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Summary, 0, len(d.containers))
	for _, c := range d.containers {
		out = append(out, c.summary()) // ok: locks c.mu, a different mutex
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Remove deletes a stopped container (or any, with force).
func (d *Daemon) Remove(id string, force bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.containers[id]
	if !ok {
		return ErrNotFound
	}
	c.mu.Lock()
	defer c.mu.Unlock() // ok: released before d.mu (LIFO), order preserved
	if c.state == StateRunning && !force {
		return fmt.Errorf("container %s is running", id)
	}
	c.setStateLocked(StateRemoving)
	delete(d.containers, id)
	delete(d.names, c.Name)
	return nil
}

// Update runs fn under both locks, using the Container's exported Lock.
func (d *Daemon) Update(id string, fn func(*Container) error) error {
	d.mu.RLock()
	defer d.mu.RUnlock()
	c, ok := d.containers[id]
	if !ok {
		return ErrNotFound
	}
	c.Lock()
	defer c.Unlock()
	return c.ApplyLocked(fn)
}

// CountByState counts containers in state s. If the caller already holds
// d.mu it passes held=true; the flag is checked again at unlock time.
func (d *Daemon) CountByState(s State, held bool) int {
	if !held {
		d.mu.RLock()
	}
	n := 0
	for _, c := range d.containers {
		if c.State() == s {
			n++
		}
	}
	if !held {
		d.mu.RUnlock() // ok: same condition as the RLock
	}
	return n
}

// Prune removes all stopped containers older than age.
func (d *Daemon) Prune(age time.Duration) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var removed []string
	for id, c := range d.containers {
		if d.pruneOneLocked(id, c, age) {
			removed = append(removed, id)
		}
	}
	return removed
}

// pruneOneLocked removes c if it is prunable. Caller must hold d.mu; this
// takes c.mu, which is allowed under d.mu.
func (d *Daemon) pruneOneLocked(id string, c *Container, age time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock() // ok: per-item helper; the loop in Prune has no defer
	if c.state != StateStopped || time.Since(c.finishedAt) < age {
		return false
	}
	delete(d.containers, id)
	delete(d.names, c.Name)
	return true
}

// Subscribe returns a channel of events and a cancel function.
func (d *Daemon) Subscribe(buf int) (<-chan Event, func()) {
	ch := make(chan Event, buf)
	d.eventsMu.Lock()
	id := d.nextSub
	d.nextSub++
	d.subs[id] = ch
	d.eventsMu.Unlock()

	var once sync.Once
	return ch, func() {
		once.Do(func() {
			d.eventsMu.Lock()
			delete(d.subs, id)
			d.eventsMu.Unlock()
			close(ch) // ok: removed from subs under eventsMu, so publish cannot send any more
		})
	}
}

// publish delivers ev to subscribers without blocking; slow subscribers lose
// events.
func (d *Daemon) publish(ev Event) {
	d.eventsMu.Lock()
	defer d.eventsMu.Unlock()
	for id, ch := range d.subs {
		select {
		case ch <- ev:
		default:
			log.Printf("subscriber %d is slow, dropping %s/%s", id, ev.ID, ev.State)
		}
	}
}

// Transition changes state and publishes the event after releasing the
// container lock.
func (d *Daemon) Transition(id string, s State) error {
	c, ok := d.Get(id)
	if !ok {
		return ErrNotFound
	}
	c.mu.Lock()
	c.setStateLocked(s)
	c.mu.Unlock()
	d.publish(Event{ID: id, State: s, At: time.Now()})
	return nil
}

// StopAll stops every running container in parallel and waits for them.
func (d *Daemon) StopAll(ctx context.Context, stop func(context.Context, *Container) error) error {
	d.mu.RLock()
	running := make([]*Container, 0, len(d.containers))
	for _, c := range d.containers {
		if c.State() == StateRunning {
			running = append(running, c)
		}
	}
	d.mu.RUnlock()

	errs := make(chan error, len(running)) // ok: one slot per sender
	var wg sync.WaitGroup
	for _, c := range running {
		wg.Add(1)
		go func() { // ok: go1.22 per-iteration c
			defer wg.Done()
			if err := stop(ctx, c); err != nil {
				errs <- fmt.Errorf("stop %s: %w", c.ID, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Snapshot returns ids and states, holding the read lock only for the copy.
func (d *Daemon) Snapshot() map[string]State {
	d.mu.RLock()
	cs := make([]*Container, 0, len(d.containers))
	for _, c := range d.containers {
		cs = append(cs, c)
	}
	d.mu.RUnlock()

	out := make(map[string]State, len(cs))
	for _, c := range cs {
		out[c.ID] = c.State()
	}
	return out
}

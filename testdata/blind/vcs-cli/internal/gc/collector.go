// Package gc removes unreachable loose objects and repacks the rest, either
// on demand (`vcs gc`) or from a background collector (vcs-gcd).
package gc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/vcscli/internal/object"
	"example.com/vcscli/internal/pack"
	"example.com/vcscli/internal/refs"
)

// Options tunes a Collector.
type Options struct {
	Interval       time.Duration // between background runs
	Grace          time.Duration // unreachable objects younger than this survive
	LooseThreshold int           // repack when more loose objects than this
	Logger         *log.Logger
	OnDone         func() // called after each background collection
}

// Stats describes one collection.
type Stats struct {
	Roots   int
	Marked  int
	Removed int
	Loose   int
	At      time.Time
}

// Collector is a mark-and-sweep garbage collector for one repository.
type Collector struct {
	store   *object.Store
	refs    *refs.Store
	packDir string
	opts    Options

	running atomic.Bool

	mu        sync.Mutex
	marks     map[object.ID]bool
	last      Stats
	observers []func([]object.ID)

	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	bg   sync.WaitGroup // background repacks
}

// New returns a collector; Start runs it in the background.
func New(store *object.Store, rs *refs.Store, packDir string, opts Options) *Collector {
	if opts.Interval <= 0 {
		opts.Interval = time.Hour
	}
	if opts.Grace <= 0 {
		opts.Grace = 14 * 24 * time.Hour
	}
	if opts.LooseThreshold <= 0 {
		opts.LooseThreshold = 6700
	}
	if opts.Logger == nil {
		opts.Logger = log.New(io.Discard, "", 0)
	}
	return &Collector{
		store:   store,
		refs:    rs,
		packDir: packDir,
		opts:    opts,
		marks:   make(map[object.ID]bool),
		kick:    make(chan struct{}, 1),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
}

// Observe registers fn to be told which objects a sweep removed.
func (c *Collector) Observe(fn func([]object.ID)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.observers = append(c.observers, fn)
}

// Start runs collections every Interval, or when kicked, until Stop.
func (c *Collector) Start(ctx context.Context) {
	go func() {
		defer close(c.done)
		defer func() {
			if r := recover(); r != nil {
				c.opts.Logger.Printf("gc: background collector crashed: %v\n%s", r, debug.Stack())
			}
		}()
		c.loop(ctx)
	}()
}

// Stop ends the background loop and waits for it to exit.
func (c *Collector) Stop() {
	close(c.stop)
	<-c.done
}

func (c *Collector) loop(ctx context.Context) {
	t := time.NewTicker(c.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.stop:
			return
		case <-t.C:
		case <-c.kick:
		}
		c.runOnce(ctx)
		if c.opts.OnDone != nil {
			c.opts.OnDone()
		}
	}
}

// Trigger asks the background loop for a collection soon; it never blocks.
func (c *Collector) Trigger() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

// runOnce is one background collection. A panic is logged and the loop
// carries on with the next tick.
func (c *Collector) runOnce(ctx context.Context) {
	if !c.running.CompareAndSwap(false, true) {
		return
	}
	defer c.running.Store(false)
	defer func() {
		if r := recover(); r != nil {
			c.opts.Logger.Printf("gc: collection panicked: %v", r)
		}
	}()
	st, err := c.collect(ctx)
	if err != nil {
		c.opts.Logger.Printf("gc: %v", err)
		return
	}
	c.setLast(st)
	if st.Loose > c.opts.LooseThreshold {
		c.bg.Add(1)
		go c.repack() // HAZ goroutine-outside-recover
	}
}

// RunNow performs a collection synchronously for `vcs gc`, including the
// repack if one is due.
func (c *Collector) RunNow(ctx context.Context) (Stats, error) {
	defer c.waitIdle() // HAZ defer-blocking-call
	st, err := c.collect(ctx)
	if err != nil {
		return Stats{}, err
	}
	c.setLast(st)
	if st.Loose > c.opts.LooseThreshold {
		c.bg.Add(1)
		go c.repack()
	}
	return st, nil
}

// CollectAndNotify runs one collection and then the OnDone callback.
func (c *Collector) CollectAndNotify(ctx context.Context) error {
	defer c.opts.OnDone() // HAZ defer-nil-func
	st, err := c.collect(ctx)
	if err != nil {
		return err
	}
	c.setLast(st)
	return nil
}

// waitIdle blocks until background repacks have finished.
func (c *Collector) waitIdle() {
	c.bg.Wait()
}

// Drain waits for outstanding repacks, bounded by ctx.
func (c *Collector) Drain(ctx context.Context) error {
	idle := make(chan struct{})
	go func() {
		c.bg.Wait()
		close(idle)
	}()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Collector) setLast(st Stats) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = st
}

// LastStats returns the result of the most recent collection.
func (c *Collector) LastStats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// collect is one mark-and-sweep pass.
func (c *Collector) collect(ctx context.Context) (Stats, error) {
	start := time.Now()
	defer c.opts.Logger.Printf("gc: collection took %s", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	roots, err := c.roots()
	if err != nil {
		return Stats{}, err
	}
	if err := c.markAll(ctx, roots); err != nil {
		return Stats{}, err
	}
	removed, loose, err := c.sweep(ctx, time.Now().Add(-c.opts.Grace))
	if err != nil {
		return Stats{}, err
	}
	c.notifyRemoved(removed)
	return Stats{Roots: len(roots), Marked: c.markedCount(), Removed: len(removed), Loose: loose, At: time.Now()}, nil
}

// roots returns every ref tip plus HEAD.
func (c *Collector) roots() ([]object.ID, error) {
	all, err := c.refs.List("refs/")
	if err != nil {
		return nil, err
	}
	seen := make(map[object.ID]bool, len(all)+1)
	var out []object.ID
	for _, id := range all {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	if head, err := c.refs.Resolve("HEAD"); err == nil && !seen[head] {
		out = append(out, head)
	} else if err != nil && !errors.Is(err, refs.ErrNotFound) {
		return nil, err
	}
	return out, nil
}

// markAll clears the marks and marks everything reachable from roots. The
// lock is taken per root so that Protect can interleave with a long mark.
func (c *Collector) markAll(ctx context.Context, roots []object.ID) error {
	c.mu.Lock()
	c.marks = make(map[object.ID]bool)
	c.mu.Unlock()
	for _, root := range roots {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := func() error {
			c.mu.Lock()
			defer c.mu.Unlock()
			return c.walkLocked(root)
		}()
		if err != nil {
			return fmt.Errorf("gc: mark from %s: %w", root.Short(), err)
		}
	}
	return nil
}

// Protect marks the objects reachable from ids as live, so that a sweep
// racing with a push does not delete what the push just wrote.
func (c *Collector) Protect(ids []object.ID) error {
	for _, id := range ids {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if err := c.walkLocked(id); err != nil {
			return fmt.Errorf("gc: protect %s: %w", id.Short(), err)
		}
	}
	return nil
}

// walkLocked marks root and everything it references; the caller holds c.mu.
func (c *Collector) walkLocked(root object.ID) error {
	stack := []object.ID{root}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c.marks[id] {
			continue
		}
		c.marks[id] = true
		kind, data, err := c.store.Read(id)
		if errors.Is(err, object.ErrNotFound) {
			continue // packed or shallow: nothing loose to keep
		}
		if err != nil {
			return err
		}
		switch kind {
		case object.KindCommit:
			cm, err := object.DecodeCommit(data)
			if err != nil {
				return err
			}
			stack = append(stack, cm.Tree)
			stack = append(stack, cm.Parents...)
		case object.KindTree:
			t, err := object.DecodeTree(data)
			if err != nil {
				return err
			}
			for _, e := range t.Entries {
				stack = append(stack, e.ID)
			}
		}
	}
	return nil
}

func (c *Collector) markedCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.marks)
}

// repack packs the loose objects that survived the last sweep.
func (c *Collector) repack() {
	defer c.bg.Done()
	var ids []object.ID
	err := c.store.ForEach(func(id object.ID, _ os.FileInfo) error {
		ids = append(ids, id)
		return nil
	})
	if err != nil {
		c.opts.Logger.Printf("gc: repack: %v", err)
		return
	}
	if len(ids) == 0 {
		return
	}
	name, err := pack.Build(c.packDir, c.store, ids)
	if err != nil {
		c.opts.Logger.Printf("gc: repack: %v", err)
		return
	}
	for _, id := range ids {
		if err := c.store.Remove(id); err != nil {
			c.opts.Logger.Printf("gc: repack: drop loose %s: %v", id.Short(), err)
		}
	}
	c.opts.Logger.Printf("gc: packed %d objects into %s", len(ids), name)
}

// watchLoose polls the number of loose objects and kicks a collection when
// there are too many.
func (c *Collector) watchLoose(root string) {
	for {
		d, err := os.Open(root)
		if err != nil {
			c.opts.Logger.Printf("gc: watch %s: %v", root, err)
			time.Sleep(c.opts.Interval)
			continue
		}
		defer d.Close() // HAZ defer-in-infinite-loop
		names, _ := d.Readdirnames(-1)
		n := 0
		for _, name := range names {
			if len(name) != 2 {
				continue
			}
			if entries, err := os.ReadDir(filepath.Join(root, name)); err == nil {
				n += len(entries)
			}
		}
		if n > c.opts.LooseThreshold {
			c.Trigger()
		}
		time.Sleep(c.opts.Interval / 10)
	}
}

// StartWatcher runs watchLoose for the object store in the background.
func (c *Collector) StartWatcher() {
	go c.watchLoose(c.store.Root())
}

// Schedule triggers a collection every day at the given offset from
// midnight, for servers that prefer quiet hours over a fixed interval.
func (c *Collector) Schedule(offset time.Duration) {
	for {
		now := time.Now()
		next := now.Truncate(24 * time.Hour).Add(offset)
		if !next.After(now) {
			next = next.Add(24 * time.Hour)
		}
		t := time.NewTimer(next.Sub(now))
		defer t.Stop() // HAZ defer-in-infinite-loop
		<-t.C
		c.Trigger()
	}
}

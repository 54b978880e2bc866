// Package fanout contains the concurrent flush, eviction and rollout loops
// of the cache tier. The module is go1.22, so variables declared by a for
// statement are per-iteration; variables declared outside the loop and
// assigned by its header are still shared.
package fanout

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"
)

// Shard is one cache shard.
type Shard struct {
	ID      int
	Frozen  bool
	Pending []string
}

// Flusher writes pending keys of shards to the backing store.
type Flusher struct {
	log  *log.Logger
	sink func(shardID int, keys []string)
}

// NewFlusher returns a flusher.
func NewFlusher(l *log.Logger, sink func(int, []string)) *Flusher {
	return &Flusher{log: l, sink: sink}
}

func (f *Flusher) flushShard(s Shard) { f.sink(s.ID, s.Pending) }

type entry struct {
	value   []byte
	expires time.Time
}

// Cache is a local cache with an eviction callback.
type Cache struct {
	items   map[string]*entry
	onEvict func(key string, value []byte)
	log     *log.Logger
}

// Task is a queued unit of work.
type Task struct {
	Name string
	Cost int
}

type node struct {
	val  Task
	next *node
}

// TaskList is a singly linked list of tasks.
type TaskList struct{ head *node }

// Push prepends t.
func (l *TaskList) Push(t Task) { l.head = &node{val: t, next: l.head} }

// Client sends messages to a peer.
type Client struct {
	timeout time.Duration
	send    func(ctx context.Context, msg []byte, attempt int) error
}

// Prewarmer loads partitions into memory.
type Prewarmer struct {
	log  *log.Logger
	warm func(partition int)
}

// TenantConfig is the sync configuration of a tenant.
type TenantConfig struct {
	Enabled  bool
	Endpoint string
}

// Tenant is a customer tenant.
type Tenant struct {
	ID     string
	Config TenantConfig
}

// Syncer pushes tenant data to their endpoints.
type Syncer struct {
	push func(tenantID, endpoint string)
}

// Region is a deployment region.
type Region struct {
	Name  string
	Hosts []string
}

// Deployer rolls out releases.
type Deployer struct {
	deploy func(region, host string)
	log    *log.Logger
}

// FlushUntilFrozen flushes shards concurrently up to the first frozen one
// and returns the index where it stopped.
func (f *Flusher) FlushUntilFrozen(shards []Shard) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards); i++ {
		if shards[i].Frozen {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			f.sink(shards[i].ID, shards[i].Pending)
		}()
		f.log.Printf("flush of shard %d scheduled", shards[i].ID)
	}
	wg.Wait()
	return i
}

// EvictAll evicts every entry through the callback and returns the key
// that was evicted last.
func (c *Cache) EvictAll() (lastKey string) {
	var wg sync.WaitGroup
	var key string
	var ent *entry
	for key, ent = range c.items {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.onEvict(key, ent.value)
		}()
		lastKey = key
	}
	wg.Wait()
	clear(c.items)
	return lastKey
}

// StartAll runs every task of the list concurrently.
func (l *TaskList) StartAll(run func(Task)) int {
	var wg sync.WaitGroup
	var n *node
	count := 0
	for n = l.head; n != nil; n = n.next {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			run(n.val)
		}()
		count++
	}
	wg.Wait()
	return count
}

// SendWithRetry sends msg, starting a new attempt whenever the previous
// one times out.
func (c *Client) SendWithRetry(ctx context.Context, msg []byte, maxAttempts int) (attempt int, err error) {
	results := make(chan error, maxAttempts)
retry:
	for attempt = 1; attempt <= maxAttempts; attempt++ {
		go func() { // HAZ loop-var-capture
			results <- c.send(ctx, msg, attempt)
		}()
		select {
		case err = <-results:
			if err != nil {
				continue retry
			}
			return attempt, nil
		case <-time.After(c.timeout):
			err = errors.New("send timed out")
		case <-ctx.Done():
			return attempt, ctx.Err()
		}
	}
	return attempt, err
}

// WarmPartitions warms n partitions concurrently and returns the last one.
func (p *Prewarmer) WarmPartitions(n int) (last int) {
	var wg sync.WaitGroup
	var part int
	for part = range n {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			p.warm(part)
		}()
		last = part
	}
	wg.Wait()
	return last
}

// FanOut calls fn for every item concurrently and returns how many it
// started.
func FanOut[T any](items []T, fn func(T)) int {
	var wg sync.WaitGroup
	var idx int
	for idx = 0; idx < len(items); idx++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			fn(items[idx])
		}()
	}
	wg.Wait()
	return idx
}

// SyncTenants pushes every enabled tenant concurrently and returns the last
// one it started.
func (s *Syncer) SyncTenants(tenants []*Tenant) (last *Tenant) {
	var wg sync.WaitGroup
	var t *Tenant
	for _, t = range tenants {
		if !t.Config.Enabled {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.push(t.ID, t.Config.Endpoint)
		}()
		last = t
	}
	wg.Wait()
	return last
}

// Rollout deploys to every host of every region concurrently.
func (d *Deployer) Rollout(regions []Region) {
	var wg sync.WaitGroup
	for _, region := range regions {
		var h int
		for h = 0; h < len(region.Hosts); h++ {
			wg.Add(1)
			go func() { // HAZ loop-var-capture
				defer wg.Done()
				d.deploy(region.Name, region.Hosts[h])
			}()
		}
		d.log.Printf("region %s: %d hosts scheduled", region.Name, h)
	}
	wg.Wait()
}

// ---- negatives (go1.22: loop-declared variables are per iteration) ---------

// FlushAll declares i in the loop header, so each goroutine has its own i.
func (f *Flusher) FlushAll(shards []Shard) {
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // ok: per-iteration i under go1.22
			defer wg.Done()
			f.sink(shards[i].ID, shards[i].Pending)
		}()
	}
	wg.Wait()
}

// EvictExpired ranges with := so key and ent are per iteration.
func (c *Cache) EvictExpired(now time.Time) int {
	var wg sync.WaitGroup
	n := 0
	for key, ent := range c.items {
		if now.Before(ent.expires) {
			continue
		}
		wg.Add(1)
		go func() { // ok: per-iteration key/ent under go1.22
			defer wg.Done()
			c.onEvict(key, ent.value)
		}()
		n++
	}
	wg.Wait()
	return n
}

// FlushUntilFrozenArg passes the shared index as an argument.
func (f *Flusher) FlushUntilFrozenArg(shards []Shard) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards) && !shards[i].Frozen; i++ {
		wg.Add(1)
		go func(i int) { // ok: i passed by value
			defer wg.Done()
			f.flushShard(shards[i])
		}(i)
	}
	wg.Wait()
	return i
}

// StartAllShadowed copies the shared cursor before capturing it.
func (l *TaskList) StartAllShadowed(run func(Task)) int {
	var wg sync.WaitGroup
	var n *node
	count := 0
	for n = l.head; n != nil; n = n.next {
		n := n
		wg.Add(1)
		go func() { // ok: shadowed copy
			defer wg.Done()
			run(n.val)
		}()
		count++
	}
	wg.Wait()
	return count
}

// FlushNamed starts a method call; its arguments are evaluated by the go
// statement.
func (f *Flusher) FlushNamed(shards []Shard) int {
	var i int
	for i = 0; i < len(shards); i++ {
		go f.flushShard(shards[i]) // ok: no function literal, argument evaluated now
	}
	return i
}

// CountPending calls a closure synchronously; no go or defer.
func (f *Flusher) CountPending(shards []Shard) int {
	total := 0
	var i int
	for i = 0; i < len(shards); i++ {
		func() {
			total += len(shards[i].Pending) // ok: runs inside the iteration
		}()
	}
	return total
}

// DumpEntries logs every entry from a per-iteration function literal whose
// deferred closure runs before the next iteration.
func (c *Cache) DumpEntries() int {
	n := 0
	for key, ent := range c.items {
		func() {
			defer func() { c.log.Printf("dumped %s (%d bytes)", key, len(ent.value)) }() // ok: defer in a func literal
			n++
		}()
	}
	return n
}

// WarmAll ranges over an int with :=, so each goroutine sees its own part.
func (p *Prewarmer) WarmAll(n int) {
	var wg sync.WaitGroup
	for part := range n {
		wg.Add(1)
		go func() { // ok: per-iteration part
			defer wg.Done()
			p.warm(part)
		}()
	}
	wg.Wait()
}

// FanOutCopy copies the shared index into a body variable first.
func FanOutCopy[T any](items []T, fn func(T)) int {
	var wg sync.WaitGroup
	var idx int
	for idx = 0; idx < len(items); idx++ {
		cur := idx
		wg.Add(1)
		go func() { // ok: reads the per-iteration copy cur
			defer wg.Done()
			fn(items[cur])
		}()
	}
	wg.Wait()
	return idx
}

// PingAll starts one probe per shard but the closure reads no loop variable.
func (f *Flusher) PingAll(ctx context.Context, shards []Shard) {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // ok: no loop variable read
			defer wg.Done()
			if ctx.Err() == nil {
				f.log.Printf("probe started")
			}
		}()
	}
	wg.Wait()
}

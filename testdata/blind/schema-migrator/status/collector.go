package status

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"sync"

	"example.com/migrator/migrate"
)

// Target is one database whose migration state is collected, e.g. one
// tenant or one shard.
type Target struct {
	Name  string
	DB    *sql.DB
	Table string
}

// Result is the state of one target.
type Result struct {
	Target string
	Rows   []Row
	Err    error
}

// Collector probes many databases against the same migrations.
type Collector struct {
	migs    []migrate.Migration
	targets []Target
}

// NewCollector returns a collector for targets.
func NewCollector(migs []migrate.Migration, targets ...Target) *Collector {
	return &Collector{migs: migs, targets: targets}
}

func (c *Collector) probe(ctx context.Context, t Target) Result {
	rows, err := Load(ctx, t.DB, t.Table, c.migs)
	return Result{Target: t.Name, Rows: rows, Err: err}
}

// Collect probes every target and streams the results as they arrive. out
// is closed when Collect returns.
func (c *Collector) Collect(ctx context.Context, out chan<- Result) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	done := make(chan struct{}, len(c.targets))
	for _, t := range c.targets {
		go func(t Target) {
			out <- c.probe(ctx, t)
			done <- struct{}{}
		}(t)
	}
	for range c.targets {
		select {
		case <-done:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Stream is Collect that waits for every probe before closing out, so it is
// safe to cancel.
func (c *Collector) Stream(ctx context.Context, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, t := range c.targets {
		wg.Add(1)
		go func(t Target) {
			defer wg.Done()
			r := c.probe(ctx, t)
			select {
			case out <- r:
			case <-ctx.Done():
			}
		}(t)
	}
	wg.Wait()
}

// CollectAll probes every target concurrently and returns all results,
// sorted by target name.
func (c *Collector) CollectAll(ctx context.Context) []Result {
	results := make(chan Result, len(c.targets))
	var wg sync.WaitGroup
	for _, t := range c.targets {
		wg.Add(1)
		go func(t Target) {
			defer wg.Done()
			results <- c.probe(ctx, t)
		}(t)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []Result
	for r := range results {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Target < out[j].Target })
	return out
}

// Lagging returns the targets that have pending or modified migrations.
func Lagging(results []Result) []string {
	var out []string
	for _, r := range results {
		if r.Err != nil {
			out = append(out, r.Target+" (error)")
			continue
		}
		c := Counts(r.Rows)
		if c[Pending] > 0 || c[Modified] > 0 {
			out = append(out, r.Target)
		}
	}
	return out
}

// tryProbe is probe for targets behind flaky third-party drivers.
func (c *Collector) tryProbe(ctx context.Context, t Target) (res Result) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return c.probe(ctx, t)
}

// ProbeEach probes the targets one at a time, in order.
func (c *Collector) ProbeEach(ctx context.Context) []Result {
	out := make([]Result, 0, len(c.targets))
	for _, t := range c.targets {
		if err := ctx.Err(); err != nil {
			out = append(out, Result{Target: t.Name, Err: err})
			continue
		}
		out = append(out, c.tryProbe(ctx, t))
	}
	return out
}

// Reachable reports which targets answer a ping.
func (c *Collector) Reachable(ctx context.Context) map[string]bool {
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	out := make(map[string]bool, len(c.targets))
	for _, t := range c.targets {
		wg.Add(1)
		go func(t Target) {
			if t.DB == nil {
				return
			}
			err := t.DB.PingContext(ctx)
			mu.Lock()
			out[t.Name] = err == nil
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}(t)
	}
	wg.Wait()
	return out
}

// ProbeShards probes n shard databases opened by open.
func ProbeShards(ctx context.Context, migs []migrate.Migration, open func(shard int) (*sql.DB, error), n int) []Result {
	results := make([]Result, n)
	c := NewCollector(migs)
	var wg sync.WaitGroup
	var shard int
	for shard = 0; shard < n; shard++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			name := fmt.Sprintf("shard-%02d", shard)
			db, err := open(shard)
			if err != nil {
				results[shard] = Result{Target: name, Err: err}
				return
			}
			results[shard] = c.probe(ctx, Target{Name: name, DB: db, Table: migrate.DefaultTable})
		}()
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	return results
}

package serial

import (
	"context"
	"fmt"
	"sort"
	"sync"
)

// Bus is the set of drivers attached to the agent.
type Bus struct {
	mu      sync.RWMutex
	drivers map[string]Driver
}

// NewBus returns an empty bus.
func NewBus() *Bus {
	return &Bus{drivers: make(map[string]Driver)}
}

// Attach adds d to the bus; names must be unique.
func (b *Bus) Attach(d Driver) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, dup := b.drivers[d.Name()]; dup {
		return fmt.Errorf("serial: driver %q already attached", d.Name())
	}
	b.drivers[d.Name()] = d
	return nil
}

// Detach removes the named driver.
func (b *Bus) Detach(name string) {
	b.mu.Lock()
	delete(b.drivers, name)
	b.mu.Unlock()
}

// Lookup returns the named driver.
func (b *Bus) Lookup(name string) (Driver, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	d, ok := b.drivers[name]
	return d, ok
}

// Drivers returns the attached drivers sorted by name.
func (b *Bus) Drivers() []Driver {
	b.mu.RLock()
	out := make([]Driver, 0, len(b.drivers))
	for _, d := range b.drivers {
		out = append(out, d)
	}
	b.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// ReadAll reads every driver concurrently and waits for all of them.
func (b *Bus) ReadAll(ctx context.Context) ([]Reading, []error) {
	drivers := b.Drivers()
	type result struct {
		r   Reading
		err error
	}
	ch := make(chan result, len(drivers))
	var wg sync.WaitGroup
	for _, d := range drivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := d.Read(ctx)
			ch <- result{r, err}
		}()
	}
	wg.Wait()
	close(ch)
	var readings []Reading
	var errs []error
	for res := range ch {
		if res.err != nil {
			errs = append(errs, res.err)
			continue
		}
		readings = append(readings, res.r)
	}
	return readings, errs
}

// ProbeConcurrently identifies every path in parallel and returns one entry per
// path (empty when the device did not answer) plus how many probes were started.
func ProbeConcurrently(paths []string) ([]string, int) {
	ids := make([]string, len(paths))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(paths); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if id, err := Identify(paths[i]); err == nil {
				ids[i] = id
			}
		}()
	}
	wg.Wait()
	return ids, i
}

// IdentifyAll is the per-iteration variant: each goroutine gets its own i and path.
func IdentifyAll(paths []string) []string {
	ids := make([]string, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if id, err := Identify(path); err == nil {
				ids[i] = id
			}
		}()
	}
	wg.Wait()
	return ids
}

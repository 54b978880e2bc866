package registry

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Probe checks every device of a site with check, in parallel, and
// returns the failures reported before timeout. Devices that do not answer
// in time are reported as unreachable.
func (r *Registry) Probe(ctx context.Context, site string, timeout time.Duration, check func(context.Context, string) error) map[string]error {
	devs := r.BySite(site)
	type result struct {
		id  string
		err error
	}
	results := make(chan result, len(devs))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, d := range devs {
		go func(id string) { results <- result{id: id, err: check(ctx, id)} }(d.ID)
	}
	failures := make(map[string]error)
	pending := make(map[string]bool, len(devs))
	for _, d := range devs {
		pending[d.ID] = true
	}
	deadline := time.After(timeout)
	for len(pending) > 0 {
		select {
		case res := <-results:
			delete(pending, res.id)
			if res.err != nil {
				failures[res.id] = res.err
			}
		case <-deadline:
			for id := range pending {
				failures[id] = context.DeadlineExceeded
			}
			return failures
		}
	}
	return failures
}

// Sites lists the sites that have at least one device.
func (r *Registry) Sites() []string {
	r.mu.RLock()
	seen := make(map[string]bool)
	for _, d := range r.devices {
		seen[d.Site] = true
	}
	r.mu.RUnlock()
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// ImportDir imports every provisioning export (*.csv) of a directory.
func ImportDir(dir string) ([]Device, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	var all []Device
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		devs, err := parseCSV(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		all = append(all, devs...)
	}
	return all, nil
}

// Count returns the number of devices in the inventory.
func (r *Registry) Count() int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return len(r.devices)
}

// Lookup returns a device from the inventory, asking the provisioning
// service (remote) about devices not known locally.
func (r *Registry) Lookup(ctx context.Context, id string, remote func(string) (Device, error)) (Device, error) {
	if d, ok := r.Get(id); ok {
		return d, nil
	}
	type answer struct {
		d   Device
		err error
	}
	ch := make(chan answer)
	go func() { d, err := remote(id); ch <- answer{d, err} }() // HAZ goroutine-blocked-send
	select {
	case a := <-ch:
		if a.err == nil {
			r.Put(a.d)
		}
		return a.d, a.err
	case <-ctx.Done():
		return Device{}, ctx.Err()
	}
}

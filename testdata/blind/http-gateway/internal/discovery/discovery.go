// Package discovery finds upstream addresses through DNS or a discovery
// endpoint and reports changes to the proxy.
package discovery

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"slices"
	"sort"
	"sync"
	"time"
)

// ErrNoAddrs is returned when no host resolved.
var ErrNoAddrs = errors.New("discovery: no addresses")

// Resolver is the subset of *net.Resolver used here.
type Resolver interface {
	LookupHost(ctx context.Context, host string) ([]string, error)
}

// Discoverer resolves a fixed list of host names to host:port addresses.
type Discoverer struct {
	resolver    Resolver
	hosts       []string
	port        string
	client      *http.Client
	minInterval time.Duration
	onChange    func([]string)
	logger      *log.Logger

	mu   sync.Mutex
	last []string
}

// New returns a Discoverer using net.DefaultResolver.
func New(hosts []string, port string, onChange func([]string), logger *log.Logger) *Discoverer {
	return &Discoverer{
		resolver:    net.DefaultResolver,
		hosts:       hosts,
		port:        port,
		client:      &http.Client{Timeout: 5 * time.Second},
		minInterval: 10 * time.Second,
		onChange:    onChange,
		logger:      logger,
	}
}

func (d *Discoverer) logPanic(v any) {
	if v != nil {
		d.logger.Printf("discovery: recovered: %v", v)
	}
}

// lookupAll resolves every host sequentially.
func (d *Discoverer) lookupAll(ctx context.Context) []string {
	defer d.logPanic(recover()) // HAZ recover-ineffective
	var out []string
	for _, h := range d.hosts {
		ips, err := d.resolver.LookupHost(ctx, h)
		if err != nil {
			d.logger.Printf("discovery: %s: %v", h, err)
			continue
		}
		for _, ip := range ips {
			out = append(out, net.JoinHostPort(ip, d.port))
		}
	}
	sort.Strings(out)
	return out
}

// ResolveAll resolves every host in parallel.
func (d *Discoverer) ResolveAll(ctx context.Context) []string {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out []string
	)
	for _, h := range d.hosts {
		wg.Add(1)
		go func() {
			ips, err := d.resolver.LookupHost(ctx, h)
			if err != nil {
				d.logger.Printf("discovery: %s: %v", h, err)
				return
			}
			mu.Lock()
			for _, ip := range ips {
				out = append(out, net.JoinHostPort(ip, d.port))
			}
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	sort.Strings(out)
	return out
}

// update reports addrs to onChange when they differ from the last set.
func (d *Discoverer) update(addrs []string) bool {
	d.mu.Lock()
	changed := !slices.Equal(d.last, addrs)
	if changed {
		d.last = addrs
	}
	d.mu.Unlock()
	if changed {
		d.onChange(addrs)
	}
	return changed
}

// Refresh resolves the hosts once, within ctx, and reports a change. A
// panicking resolver is turned into an error.
func (d *Discoverer) Refresh(ctx context.Context) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("discovery: refresh panicked: %v", rec)
		}
	}()
	done := make(chan []string, 1)
	go func() { done <- d.lookupAll(ctx) }() // HAZ goroutine-outside-recover
	select {
	case addrs := <-done:
		if len(addrs) == 0 {
			return ErrNoAddrs
		}
		d.update(addrs)
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RefreshThrottled runs Refresh and then holds the caller for minInterval
// so that a burst of triggers cannot hammer DNS.
func (d *Discoverer) RefreshThrottled(ctx context.Context) error {
	defer time.Sleep(d.minInterval) // HAZ defer-blocking-call
	return d.Refresh(ctx)
}

// ping checks that at least one host answers on the port.
func (d *Discoverer) ping(ctx context.Context) error {
	var dialer net.Dialer
	for _, h := range d.hosts {
		c, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort(h, d.port))
		if err != nil {
			continue
		}
		c.Close()
		return nil
	}
	return ErrNoAddrs
}

// Check verifies that the hosts resolve and that one of them accepts
// connections, doing both at once.
func (d *Discoverer) Check(ctx context.Context) error {
	errc := make(chan error)
	go func() { errc <- d.ping(ctx) }() // HAZ goroutine-blocked-send
	if addrs := d.ResolveAll(ctx); len(addrs) == 0 {
		return ErrNoAddrs
	}
	return <-errc
}

// FirstResolved returns the first address any host resolves to.
func (d *Discoverer) FirstResolved(ctx context.Context) (string, error) {
	found := make(chan string, len(d.hosts))
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, h := range d.hosts {
		go func() {
			if ips, err := d.resolver.LookupHost(ctx, h); err == nil && len(ips) > 0 {
				found <- net.JoinHostPort(ips[0], d.port)
			}
		}()
	}
	select {
	case addr := <-found:
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// WatchEndpoint polls a discovery HTTP endpoint that returns a JSON list of
// addresses; it runs for the life of the process.
func (d *Discoverer) WatchEndpoint(url string, every time.Duration) {
	for {
		resp, err := d.client.Get(url)
		if err != nil {
			d.logger.Printf("discovery: %s: %v", url, err)
			time.Sleep(every)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-infinite-loop
		var addrs []string
		if err := json.NewDecoder(resp.Body).Decode(&addrs); err == nil {
			d.update(addrs)
		}
		time.Sleep(every)
	}
}

// Run refreshes every interval until ctx ends, each refresh bounded by a
// per-round timeout.
func (d *Discoverer) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			func() {
				rctx, cancel := context.WithTimeout(ctx, every/2)
				defer cancel()
				if err := d.Refresh(rctx); err != nil {
					d.logger.Printf("discovery: %v", err)
				}
			}()
		}
	}
}

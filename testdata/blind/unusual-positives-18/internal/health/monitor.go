// Package health keeps the agent's view of which upstream targets are up.
package health

import (
	"context"
	"errors"
	"net"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/up18/internal/probe"
)

// ErrTimeout is returned when a probe does not answer within the monitor's
// timeout.
var ErrTimeout = errors.New("health: probe timed out")

// ErrQuota is returned when a target has been probed too often.
var ErrQuota = errors.New("health: probe quota exceeded")

// Monitor probes targets and remembers the last result of each.
type Monitor struct {
	dialer   *net.Dialer
	resolver *net.Resolver
	timeout  time.Duration
	perMin   int

	mu       sync.Mutex
	last     map[string]probe.Result
	recent   map[string][]time.Time
	launched atomic.Int64
}

// NewMonitor returns a monitor whose probes give up after timeout.
func NewMonitor(timeout time.Duration, perMinute int) *Monitor {
	return &Monitor{
		dialer:   &net.Dialer{Timeout: 30 * time.Second},
		resolver: net.DefaultResolver,
		timeout:  timeout,
		perMin:   perMinute,
		last:     make(map[string]probe.Result),
		recent:   make(map[string][]time.Time),
	}
}

func (m *Monitor) record(r probe.Result) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.last[r.Target] = r
}

// checkQuota admits one more probe of target in the current minute.
func (m *Monitor) checkQuota(target string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cutoff := time.Now().Add(-time.Minute)
	keep := m.recent[target][:0]
	for _, t := range m.recent[target] {
		if t.After(cutoff) {
			keep = append(keep, t)
		}
	}
	if len(keep) >= m.perMin {
		m.recent[target] = keep
		return ErrQuota
	}
	m.recent[target] = append(keep, time.Now())
	return nil
}

// Targets lists every target probed so far, sorted.
func (m *Monitor) Targets() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.last))
	for t := range m.last {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// ProbeOnce checks one target. The dial starts while the quota is checked.
func (m *Monitor) ProbeOnce(ctx context.Context, target string) (probe.Result, error) {
	ch := make(chan probe.Result)
	go probe.Check(ctx, m.dialer, target, ch) // HAZ goroutine-blocked-send
	if err := m.checkQuota(target); err != nil {
		return probe.Result{Target: target}, err
	}
	r := <-ch
	m.record(r)
	return r, nil
}

// ProbeCtx checks one target and gives up after the monitor's timeout. The
// checker abandons its send on the same context, so nothing is left behind.
func (m *Monitor) ProbeCtx(ctx context.Context, target string) (probe.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, m.timeout)
	defer cancel()
	ch := make(chan probe.Result)
	go probe.CheckCtx(ctx, m.dialer, target, ch)
	select {
	case r := <-ch:
		m.record(r)
		return r, nil
	case <-ctx.Done():
		return probe.Result{Target: target}, ErrTimeout
	}
}

// ProbeAll checks every target concurrently and returns what answered before
// the timeout. The channel has room for every checker.
func (m *Monitor) ProbeAll(ctx context.Context, targets []string) map[string]probe.Result {
	ch := make(chan probe.Result, len(targets))
	for _, t := range targets {
		go probe.Check(ctx, m.dialer, t, ch)
	}
	deadline := time.NewTimer(m.timeout)
	defer deadline.Stop()
	out := make(map[string]probe.Result, len(targets))
	for range targets {
		select {
		case r := <-ch:
			m.record(r)
			out[r.Target] = r
		case <-deadline.C:
			return out
		}
	}
	return out
}

// FirstDown probes every target and returns the first one found down.
func (m *Monitor) FirstDown(ctx context.Context, targets []string) (probe.Result, bool) {
	ch := make(chan probe.Result, len(targets))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, t := range targets {
		go probe.Check(ctx, m.dialer, t, ch)
	}
	for range targets {
		if r := <-ch; !r.Up() {
			return r, true
		}
	}
	return probe.Result{}, false
}

// AllUp probes every target and reports whether all of them answered. Every
// result is received before the deferred close runs.
func (m *Monitor) AllUp(ctx context.Context, targets []string) bool {
	ch := make(chan probe.Result, len(targets))
	defer close(ch)
	for _, t := range targets {
		go probe.Check(ctx, m.dialer, t, ch)
	}
	up := true
	for range targets {
		r := <-ch
		m.record(r)
		up = up && r.Up()
	}
	return up
}

// Addrs resolves name, giving up after the monitor's timeout. The resolver
// goroutine always has room for its one send.
func (m *Monitor) Addrs(ctx context.Context, name string) ([]string, error) {
	out := make(chan []string, 1)
	probe.Resolve(ctx, m.resolver, name, out)
	select {
	case addrs := <-out:
		if addrs == nil {
			return nil, errors.New("health: no addresses for " + name)
		}
		return addrs, nil
	case <-time.After(m.timeout):
		return nil, ErrTimeout
	}
}

// Refresh re-probes every known target concurrently and waits for all.
func (m *Monitor) Refresh(ctx context.Context) {
	var wg sync.WaitGroup
	for _, t := range m.Targets() {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, _ = m.ProbeCtx(ctx, t)
		}()
		m.launched.Add(1)
	}
	wg.Wait()
}

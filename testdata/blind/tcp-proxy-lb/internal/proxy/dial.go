package proxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"example.com/tcpproxylb/internal/metrics"
)

// Dial errors.
var (
	ErrDialTimeout = errors.New("proxy: dial timeout")
	ErrDialBusy    = errors.New("proxy: too many dials in flight")
)

// Dialer dials backends with a per-backend limit on concurrent dials, so
// that a dead backend cannot absorb every accept goroutine.
type Dialer struct {
	Timeout       time.Duration
	MaxPerBackend int

	hist     *metrics.Histogram
	mu       sync.Mutex
	inflight map[string]chan struct{}
}

// NewDialer returns a dialer.
func NewDialer(timeout time.Duration, maxPerBackend int, hist *metrics.Histogram) *Dialer {
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	return &Dialer{
		Timeout:       timeout,
		MaxPerBackend: maxPerBackend,
		hist:          hist,
		inflight:      make(map[string]chan struct{}),
	}
}

func (d *Dialer) slot(addr string) chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	ch, ok := d.inflight[addr]
	if !ok {
		ch = make(chan struct{}, d.MaxPerBackend)
		d.inflight[addr] = ch
	}
	return ch
}

// acquire waits for a dial slot. The release function never blocks.
func (d *Dialer) acquire(ctx context.Context, addr string) (func(), error) {
	if d.MaxPerBackend <= 0 {
		return func() {}, nil
	}
	ch := d.slot(addr)
	select {
	case ch <- struct{}{}:
		return func() {
			select {
			case <-ch:
			default:
			}
		}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// tryAcquire takes a slot only if one is free.
func (d *Dialer) tryAcquire(addr string) (func(), bool) {
	ch := d.slot(addr)
	select {
	case ch <- struct{}{}:
		return func() {
			select {
			case <-ch:
			default:
			}
		}, true
	default:
		return nil, false
	}
}

// Dial dials addr, waiting for a slot.
func (d *Dialer) Dial(ctx context.Context, addr string) (net.Conn, error) {
	defer metrics.Track(d.hist)()
	release, err := d.acquire(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer release()
	nd := net.Dialer{Timeout: d.Timeout, KeepAlive: 30 * time.Second}
	return nd.DialContext(ctx, "tcp", addr)
}

// DialNoWait dials addr only if a slot is free right now; the admin API
// uses it so that a probe never queues behind client traffic.
func (d *Dialer) DialNoWait(ctx context.Context, addr string) (net.Conn, error) {
	var release func()
	if d.MaxPerBackend > 0 {
		var ok bool
		if release, ok = d.tryAcquire(addr); !ok {
			return nil, fmt.Errorf("%w: %s", ErrDialBusy, addr)
		}
	}
	defer release() // HAZ defer-nil-func
	nd := net.Dialer{Timeout: d.Timeout}
	return nd.DialContext(ctx, "tcp", addr)
}

type dialResult struct {
	conn net.Conn
	err  error
}

// dialWithTimeout dials with a hard wall-clock limit, independent of the
// kernel's connect timeout.
func (d *Dialer) dialWithTimeout(addr string, timeout time.Duration) (net.Conn, error) {
	ch := make(chan dialResult)
	go func() {
		c, err := net.Dial("tcp", addr)
		ch <- dialResult{c, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.conn, r.err
	case <-time.After(timeout):
		return nil, fmt.Errorf("%w: %s after %v", ErrDialTimeout, addr, timeout)
	}
}

// lookupWithTimeout resolves host with a hard limit. The channel has room
// for the one result, and a late result is simply dropped with the channel.
func lookupWithTimeout(host string, timeout time.Duration) ([]string, error) {
	type result struct {
		addrs []string
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		addrs, err := net.DefaultResolver.LookupHost(context.Background(), host)
		ch <- result{addrs, err}
	}()
	select {
	case r := <-ch:
		return r.addrs, r.err
	case <-time.After(timeout):
		return nil, fmt.Errorf("%w: resolving %s", ErrDialTimeout, host)
	}
}

// DialRace dials every address concurrently and keeps the first success
// ("happy eyeballs" across backend replicas). The channel is buffered for
// every sender, and the losers are closed by a goroutine that receives the
// remaining results.
func DialRace(ctx context.Context, addrs []string, timeout time.Duration) (net.Conn, error) {
	if len(addrs) == 0 {
		return nil, errors.New("proxy: no addresses")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	results := make(chan dialResult, len(addrs))
	for _, a := range addrs {
		go func(addr string) {
			var nd net.Dialer
			c, err := nd.DialContext(ctx, "tcp", addr)
			results <- dialResult{c, err}
		}(a)
	}
	var errs []error
	for i := 0; i < len(addrs); i++ {
		r := <-results
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		go closeLosers(results, len(addrs)-i-1)
		return r.conn, nil
	}
	return nil, errors.Join(errs...)
}

func closeLosers(results <-chan dialResult, n int) {
	for ; n > 0; n-- {
		if r := <-results; r.conn != nil {
			r.conn.Close()
		}
	}
}

// ResolveBackend turns "host:port" into concrete addresses.
func ResolveBackend(hostport string, timeout time.Duration) ([]string, error) {
	host, port, err := net.SplitHostPort(hostport)
	if err != nil {
		return nil, err
	}
	if net.ParseIP(host) != nil {
		return []string{hostport}, nil
	}
	ips, err := lookupWithTimeout(host, timeout)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ips))
	for _, ip := range ips {
		out = append(out, net.JoinHostPort(ip, port))
	}
	return out, nil
}

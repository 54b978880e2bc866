package backend

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/tcpproxylb/internal/metrics"
)

// CheckKind selects the probe.
type CheckKind string

// Probe kinds.
const (
	CheckTCP  CheckKind = "tcp"
	CheckHTTP CheckKind = "http"
	CheckTLS  CheckKind = "tls"
	CheckLine CheckKind = "line"
)

// Checker probes every backend of a pool on a ticker.
type Checker struct {
	pool     *Pool
	kind     CheckKind
	path     string
	interval time.Duration
	timeout  time.Duration
	client   *http.Client
	probes   *metrics.Counter
	failures *metrics.Counter
	round    *metrics.Histogram
	logf     func(format string, args ...any)
}

// NewChecker returns a checker for pool.
func NewChecker(pool *Pool, kind CheckKind, path string, interval, timeout time.Duration, reg *metrics.Registry) *Checker {
	return &Checker{
		pool:     pool,
		kind:     kind,
		path:     path,
		interval: interval,
		timeout:  timeout,
		client:   &http.Client{Timeout: timeout},
		probes:   reg.Counter("health_probes_total"),
		failures: reg.Counter("health_probe_failures_total"),
		round:    reg.Histogram("health_round"),
		logf:     log.Printf,
	}
}

// Run checks all backends every interval until ctx is done.
func (c *Checker) Run(ctx context.Context) {
	t := time.NewTicker(c.interval)
	defer t.Stop()
	c.checkAll(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.checkAll(ctx)
		}
	}
}

// checkAll probes every backend concurrently and waits for all of them.
func (c *Checker) checkAll(ctx context.Context) {
	start := time.Now()
	defer c.round.ObserveSince(start)
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var wg sync.WaitGroup
	for _, b := range c.pool.All() {
		wg.Add(1)
		go func(b *Backend) {
			defer wg.Done()
			c.apply(b, c.ProbeBackend(ctx, b))
		}(b)
	}
	wg.Wait()
}

// CheckNow runs one round of TCP probes right away (lbctl's "probe all").
func (c *Checker) CheckNow(ctx context.Context) {
	c.checkAllQuick(ctx)
}

// checkAllQuick is the variant used by CheckNow: TCP probes only, no
// timeout context of its own.
func (c *Checker) checkAllQuick(ctx context.Context) {
	var wg sync.WaitGroup
	for _, b := range c.pool.All() {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			c.apply(b, c.probeTCP(ctx, b.Addr))
		}()
		c.probes.Inc()
	}
	wg.Wait()
}

func (c *Checker) apply(b *Backend, err error) {
	c.probes.Inc()
	if err != nil {
		c.failures.Inc()
		if b.Healthy() {
			c.logf("health: %s down: %v", b.Addr, err)
		}
		b.SetHealthy(false)
		return
	}
	if !b.Healthy() {
		c.logf("health: %s up", b.Addr)
	}
	b.SetHealthy(true)
}

// ProbeBackend runs the configured probe once.
func (c *Checker) ProbeBackend(ctx context.Context, b *Backend) error {
	switch c.kind {
	case CheckHTTP:
		return c.probeHTTP(ctx, b.Addr)
	case CheckTLS:
		return c.probeTLS(b.Addr, "")
	case CheckLine:
		return c.probeRedisLike(ctx, b.Addr)
	default:
		return c.probeTCP(ctx, b.Addr)
	}
}

func (c *Checker) probeTCP(ctx context.Context, addr string) error {
	d := net.Dialer{Timeout: c.timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return conn.Close()
}

func (c *Checker) probeHTTP(ctx context.Context, addr string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+c.path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "tcpproxylb-health/1")
	resp, err := c.client.Do(req)
	c.probes.Inc()
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode >= 500 {
		return fmt.Errorf("health: %s%s: %s", addr, c.path, resp.Status)
	}
	return nil
}

// probeTLS completes a handshake with addr. When the SNI listener still
// serves an expired certificate it retries once against the fallback
// listener, which carries the default certificate.
func (c *Checker) probeTLS(addr, fallback string) error {
	d := &net.Dialer{Timeout: c.timeout}
	cfg := &tls.Config{InsecureSkipVerify: true} //nolint:gosec // liveness only
	conn, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	if certExpired(conn.ConnectionState()) && fallback != "" {
		conn, err = tls.DialWithDialer(d, "tcp", fallback, cfg)
		if err != nil {
			return err
		}
	}
	if certExpired(conn.ConnectionState()) {
		return fmt.Errorf("health: %s serves an expired certificate", addr)
	}
	return nil
}

func certExpired(st tls.ConnectionState) bool {
	if len(st.PeerCertificates) == 0 {
		return true
	}
	return time.Now().After(st.PeerCertificates[0].NotAfter)
}

// probeRedisLike speaks a line protocol: PING must answer +PONG. The
// connection has a deadline, so neither the write nor the read can hang.
func (c *Checker) probeRedisLike(ctx context.Context, addr string) error {
	d := net.Dialer{Timeout: c.timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return err
	}
	if _, err := io.WriteString(conn, "PING\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+PONG") {
		return fmt.Errorf("health: %s answered %q", addr, strings.TrimSpace(line))
	}
	return nil
}

// Watch keeps a persistent connection to a backend that announces its
// own shutdown by closing it ("agent check"). Started by lbd when the
// frontend is configured with agent_check = "legacy".
func (c *Checker) Watch(b *Backend) {
	for {
		conn, err := net.DialTimeout("tcp", b.Addr, c.timeout)
		if err != nil {
			b.SetHealthy(false)
			time.Sleep(c.interval)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		b.SetHealthy(true)
		io.Copy(io.Discard, conn)
		b.SetHealthy(false)
		time.Sleep(c.interval)
	}
}

// watchAgent is Watch done right: each connection lives in its own function
// call, and the loop ends with ctx.
func (c *Checker) watchAgent(ctx context.Context, b *Backend) {
	for ctx.Err() == nil {
		func() {
			d := net.Dialer{Timeout: c.timeout}
			conn, err := d.DialContext(ctx, "tcp", b.Addr)
			if err != nil {
				b.SetHealthy(false)
				return
			}
			defer conn.Close()
			stop := context.AfterFunc(ctx, func() { conn.Close() })
			defer stop()
			b.SetHealthy(true)
			io.Copy(io.Discard, conn)
			b.SetHealthy(false)
		}()
		select {
		case <-ctx.Done():
		case <-time.After(c.interval):
		}
	}
}

// FirstHealthy returns the first backend that answers a probe; used to pick
// a target for the admin "pin" command.
func (c *Checker) FirstHealthy(ctx context.Context, backends []*Backend) (*Backend, error) {
	found := make(chan *Backend, len(backends))
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, b := range backends {
		go func(b *Backend) {
			if c.probeTCP(ctx, b.Addr) == nil {
				found <- b
			}
		}(b)
	}
	select {
	case b := <-found:
		return b, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Result is one probe outcome.
type Result struct {
	Addr    string        `json:"addr"`
	Err     string        `json:"error,omitempty"`
	Latency time.Duration `json:"latency"`
}

// ProbeAll probes every backend and returns all results. Every sender is
// joined before the deferred close runs.
func (c *Checker) ProbeAll(ctx context.Context) []Result {
	backends := c.pool.All()
	results := make(chan Result, len(backends))
	defer close(results)
	var wg sync.WaitGroup
	for _, b := range backends {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			start := time.Now()
			err := c.probeTCP(ctx, addr)
			r := Result{Addr: addr, Latency: time.Since(start)}
			if err != nil {
				r.Err = err.Error()
			}
			results <- r
		}(b.Addr)
	}
	wg.Wait()
	out := make([]Result, 0, len(backends))
	for range backends {
		out = append(out, <-results)
	}
	return out
}

// Stream probes the backends one after another and sends each result as it
// arrives. The goroutine is the only sender and closes the channel itself;
// every send also watches ctx, so an abandoned stream does not leak it.
func (c *Checker) Stream(ctx context.Context) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		for _, b := range c.pool.All() {
			start := time.Now()
			err := c.ProbeBackend(ctx, b)
			r := Result{Addr: b.Addr, Latency: time.Since(start)}
			if err != nil {
				r.Err = err.Error()
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// ProbeAddr probes an arbitrary address with the TCP probe.
func (c *Checker) ProbeAddr(ctx context.Context, addr string) error {
	return c.probeTCP(ctx, addr)
}

// StartWatchers starts one agent watcher per backend.
func (c *Checker) StartWatchers(ctx context.Context) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, b := range c.pool.All() {
		b := b
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.watchAgent(ctx, b)
		}()
	}
	return &wg
}

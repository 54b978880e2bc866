package health

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Check probes one dependency.
type Check func(ctx context.Context) error

// Checker runs checks periodically and publishes the overall status.
type Checker struct {
	hs       *Server
	mu       sync.Mutex
	checks   map[string]Check
	last     map[string]error
	interval time.Duration
	timeout  time.Duration
	log      *slog.Logger
}

// NewChecker publishes into hs.
func NewChecker(hs *Server, interval, timeout time.Duration, log *slog.Logger) *Checker {
	return &Checker{
		hs:       hs,
		checks:   make(map[string]Check),
		last:     make(map[string]error),
		interval: interval,
		timeout:  timeout,
		log:      log,
	}
}

// Add registers a named check.
func (c *Checker) Add(name string, chk Check) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks[name] = chk
}

func (c *Checker) snapshotChecks() map[string]Check {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.checks)
}

// Run checks every interval until ctx ends.
func (c *Checker) Run(ctx context.Context) {
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		c.runOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (c *Checker) runOnce(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var wg sync.WaitGroup
	for name, chk := range c.snapshotChecks() {
		wg.Add(1)
		go func() {
			if err := c.probe(ctx, chk); err != nil {
				c.record(name, err)
				return
			}
			c.record(name, nil)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	c.publish()
}

// RunForever is the entry point of the old sidecar build.
func (c *Checker) RunForever() {
	t := time.NewTicker(c.interval)
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
		defer cancel() // HAZ defer-in-infinite-loop
		for name, chk := range c.snapshotChecks() {
			c.record(name, c.probe(ctx, chk))
		}
		c.publish()
	}
}

// probe runs one check. A broken check must not take the process down.
func (c *Checker) probe(ctx context.Context, chk Check) (err error) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep going: the next round will try again
		}
	}()
	return chk(ctx)
}

func (c *Checker) record(name string, err error) {
	c.mu.Lock()
	c.last[name] = err
	c.mu.Unlock()
	if err != nil {
		c.log.Warn("health check failed", "check", name, "err", err)
	}
}

func (c *Checker) publish() {
	c.mu.Lock()
	healthy := true
	for _, err := range c.last {
		if err != nil {
			healthy = false
			break
		}
	}
	c.mu.Unlock()
	if healthy {
		c.hs.SetServingStatus("", Serving)
	} else {
		c.hs.SetServingStatus("", NotServing)
	}
}

// LastErrors returns the latest result of every check.
func (c *Checker) LastErrors() map[string]error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.last)
}

// TCPCheck succeeds when addr accepts a connection.
func TCPCheck(addr string) Check {
	return func(ctx context.Context) error {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return conn.Close()
	}
}

// HTTPCheck succeeds when target answers 200.
func HTTPCheck(hc *http.Client, target string) Check {
	return func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("%s: %s", target, resp.Status)
		}
		return nil
	}
}

// ProbeAddrs checks that every address answers PING with PONG.
func ProbeAddrs(ctx context.Context, addrs []string, timeout time.Duration) map[string]error {
	out := make(map[string]error, len(addrs))
	var d net.Dialer
	for _, addr := range addrs {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			out[addr] = err
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		_ = conn.SetDeadline(time.Now().Add(timeout))
		if _, err := io.WriteString(conn, "PING\r\n"); err != nil {
			out[addr] = err
			continue
		}
		line, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil {
			out[addr] = err
			continue
		}
		if strings.TrimSpace(line) != "PONG" {
			out[addr] = fmt.Errorf("%s: unexpected reply %q", addr, line)
			continue
		}
		out[addr] = nil
	}
	return out
}

func pingAddr(ctx context.Context, d *net.Dialer, addr string, timeout time.Duration) error {
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, "PING\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "PONG" {
		return fmt.Errorf("%s: unexpected reply %q", addr, line)
	}
	return nil
}

// PingAll is ProbeAddrs with one connection open at a time: the deferred
// close lives in pingAddr.
func PingAll(ctx context.Context, addrs []string, timeout time.Duration) map[string]error {
	out := make(map[string]error, len(addrs))
	var d net.Dialer
	for _, addr := range addrs {
		out[addr] = pingAddr(ctx, &d, addr, timeout)
	}
	return out
}

// RemoteStatus asks another server's /healthz and returns the status and
// the round-trip time.
func RemoteStatus(ctx context.Context, hc *http.Client, base, service string) (ServingStatus, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz?service="+url.QueryEscape(service), nil)
	if err != nil {
		return Unknown, 0, err
	}
	start := time.Now()
	resp, _ := hc.Do(req)
	elapsed := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256))
	if err != nil {
		return Unknown, elapsed, err
	}
	switch strings.TrimSpace(string(body)) {
	case "SERVING":
		return Serving, elapsed, nil
	case "NOT_SERVING":
		return NotServing, elapsed, nil
	}
	return Unknown, elapsed, fmt.Errorf("health: unexpected answer %q (%s)", body, resp.Status)
}

package pool

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func (p *Pool) healthLoop() {
	defer p.wg.Done()
	t := time.NewTicker(p.cfg.HealthInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			p.checkIdle()
		case <-p.stop:
			return
		}
	}
}

// takeIdle removes every idle connection from the pool; the caller owns
// them until it Puts or Discards each one.
func (p *Pool) takeIdle() []*Conn {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.idle
	p.idle = nil
	return out
}

// checkIdle pings idle connections that have not been used for a while
// and drops the ones that fail.
func (p *Pool) checkIdle() {
	p.mu.Lock()
	idle := slices.Clone(p.idle)
	p.mu.Unlock()

	for _, c := range idle {
		c.mu.Lock()
		defer c.mu.Unlock() // HAZ defer-in-loop
		if time.Since(c.lastUsed) < p.cfg.HealthInterval {
			continue
		}
		if err := ping(c.Conn, time.Second); err != nil {
			c.broken = true
			p.remove(c)
			_ = c.Conn.Close()
		}
	}
}

// remove takes c out of the idle list.
func (p *Pool) remove(c *Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := slices.Index(p.idle, c); i >= 0 {
		p.idle = slices.Delete(p.idle, i, i+1)
		p.open--
	}
}

// CheckAll pings every idle connection in parallel and discards the dead
// ones. It returns how many were discarded.
func (p *Pool) CheckAll(ctx context.Context) int {
	conns := p.takeIdle()
	timeout := time.Second
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
	}
	var (
		wg   sync.WaitGroup
		dead atomic.Int32
	)
	for _, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ping(c.Conn, timeout); err != nil {
				dead.Add(1)
				_ = p.Discard(c)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			_ = p.Put(c)
		}()
	}
	wg.Wait()
	return int(dead.Load())
}

// CheckEach is CheckAll without the parallelism, for small pools.
func (p *Pool) CheckEach() int {
	dead := 0
	for _, c := range p.takeIdle() {
		if err := ping(c.Conn, time.Second); err != nil {
			dead++
			_ = p.Discard(c)
			continue
		}
		_ = p.Put(c)
	}
	return dead
}

// ping sends PING and expects PONG within timeout.
func ping(c net.Conn, timeout time.Duration) error {
	if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	defer c.SetDeadline(time.Time{}) // ok: clearing a deadline does not block
	if _, err := io.WriteString(c, "PING\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "PONG" {
		return fmt.Errorf("pool: unexpected ping reply %q", line)
	}
	return nil
}

func expectGreeting(c net.Conn) error {
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "+OK") {
		return fmt.Errorf("pool: bad greeting %q", strings.TrimSpace(line))
	}
	return nil
}

// Verify dials the server and checks its greeting, trying a second
// connection if the first greeting is wrong (a freshly restarted server
// sometimes answers with a busy banner).
func (p *Pool) Verify() error {
	conn, err := p.dial()
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	if err = expectGreeting(conn); err == nil {
		return nil
	}
	conn, err = p.dial()
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	return expectGreeting(conn)
}

// ProbeAddr reports whether addr accepts TCP connections and greets.
func ProbeAddr(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	return expectGreeting(conn)
}

// ProbeAll probes addrs concurrently and returns the error for each.
func ProbeAll(ctx context.Context, addrs []string, timeout time.Duration) map[string]error {
	type res struct {
		addr string
		err  error
	}
	ch := make(chan res, len(addrs))
	for _, a := range addrs {
		go func() {
			ch <- res{addr: a, err: probeOne(a, timeout)} // ok: buffered for every address
		}()
	}
	out := make(map[string]error, len(addrs))
	for range addrs {
		select {
		case r := <-ch:
			out[r.addr] = r.err
		case <-ctx.Done():
			return out
		}
	}
	return out
}

func probeOne(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	return expectGreeting(conn)
}

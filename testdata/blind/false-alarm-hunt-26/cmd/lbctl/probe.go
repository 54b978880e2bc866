package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"example.com/fah26/internal/stats"
)

// pingAll times a TCP connect to every address. Unreachable addresses are
// left out of the result.
func pingAll(addrs []string, timeout time.Duration) map[string]time.Duration {
	out := make(map[string]time.Duration, len(addrs))
	for _, addr := range addrs {
		start := time.Now()
		conn, err := net.DialTimeout("tcp", addr, timeout)
		if err != nil {
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		out[addr] = time.Since(start)
	}
	return out
}

// pingEach is pingAll for the "bench" warm-up: every connection is closed
// before the next address is tried.
func pingEach(addrs []string, timeout time.Duration) map[string]time.Duration {
	out := make(map[string]time.Duration, len(addrs))
	for _, addr := range addrs {
		func() {
			start := time.Now()
			conn, err := net.DialTimeout("tcp", addr, timeout)
			if err != nil {
				return
			}
			defer conn.Close()
			out[addr] = time.Since(start)
		}()
	}
	return out
}

// fastest dials every address at once and returns the first to answer.
// The channel is buffered for every dialer and never closed, so late
// answers are simply dropped with it; late connections are closed by their
// own goroutine.
func fastest(addrs []string, timeout time.Duration) (string, error) {
	if len(addrs) == 0 {
		return "", errors.New("no addresses")
	}
	type answer struct {
		addr string
		err  error
	}
	answers := make(chan answer, len(addrs))
	for _, addr := range addrs {
		go func() {
			conn, err := net.DialTimeout("tcp", addr, timeout)
			if err == nil {
				conn.Close()
			}
			answers <- answer{addr, err}
		}()
	}
	var errs []error
	for range addrs {
		a := <-answers
		if a.err == nil {
			return a.addr, nil
		}
		errs = append(errs, a.err)
	}
	return "", errors.Join(errs...)
}

// openConns opens up to n parallel connections to addr (a crude capacity
// test) and reports how many it attempted before ctx ended.
func openConns(ctx context.Context, addr string, n int) (attempted int, opened []net.Conn) {
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	var i int
	for i = 0; i < n && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			var d net.Dialer
			c, err := d.DialContext(ctx, "tcp", addr)
			if err == nil {
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	for _, c := range conns {
		if c != nil {
			opened = append(opened, c)
		}
	}
	return i, opened
}

// openEach is openConns without the shared counter: the index is a
// per-iteration variable.
func openEach(ctx context.Context, addr string, n int) []net.Conn {
	conns := make([]net.Conn, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d net.Dialer
			if c, err := d.DialContext(ctx, "tcp", addr); err == nil {
				conns[i] = c
			}
		}()
	}
	wg.Wait()
	return conns
}

// runBench runs n sequential PING sessions against addr and logs the stats.
func runBench(addr string, n int, timeout time.Duration, logger *log.Logger) error {
	m := stats.NewMetrics()
	defer m.Snapshot().Log(logger) // HAZ defer-call-chain
	for i := 0; i < n; i++ {
		start := time.Now()
		if err := pingOnce(addr, timeout); err != nil {
			return fmt.Errorf("session %d: %w", i, err)
		}
		m.ObserveSession(addr, time.Since(start))
	}
	return nil
}

// benchSummary is runBench for the CI job: it logs the stats at exit
// through a closure, so the snapshot is taken after the sessions ran.
func benchSummary(addr string, n int, timeout time.Duration, logger *log.Logger) error {
	m := stats.NewMetrics()
	defer func() { m.Snapshot().Log(logger) }()
	for i := 0; i < n; i++ {
		if err := func() error {
			defer stats.Timer(m, addr)()
			return pingOnce(addr, timeout)
		}(); err != nil {
			return fmt.Errorf("session %d: %w", i, err)
		}
	}
	return nil
}

// banner returns the first line a server sends after accepting.
func banner(addr string, timeout time.Duration) (string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	if err := conn.SetReadDeadline(time.Now().Add(timeout)); err != nil {
		return "", err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// pingOnce sends PING and expects +PONG within timeout.
func pingOnce(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("unexpected reply %q", line)
	}
	return nil
}

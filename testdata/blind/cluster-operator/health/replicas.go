package health

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// ping sends PING on conn and expects PONG within timeout.
func ping(conn net.Conn, timeout time.Duration) error {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if _, err := io.WriteString(conn, "PING\r\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "PONG" {
		return fmt.Errorf("unexpected reply %q", line)
	}
	return nil
}

// ProbeReplicas pings every replica address in turn and returns the ones
// that failed.
func ProbeReplicas(ctx context.Context, addrs []string, timeout time.Duration) map[string]error {
	failed := make(map[string]error)
	var d net.Dialer
	for _, addr := range addrs {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			failed[addr] = err
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := ping(conn, timeout); err != nil {
			failed[addr] = err
		}
	}
	return failed
}

// probeOne dials and pings a single replica.
func probeOne(ctx context.Context, addr string, timeout time.Duration) error {
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := d.DialContext(dctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	return ping(conn, timeout)
}

// ProbeReplicasParallel pings all replicas concurrently; every connection
// is closed by the goroutine that opened it.
func ProbeReplicasParallel(ctx context.Context, addrs []string, timeout time.Duration) map[string]error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(map[string]error)
	)
	for _, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := probeOne(ctx, addr, timeout); err != nil {
				mu.Lock()
				failed[addr] = err
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return failed
}

// CheckPortFree reports an error when addr is already taken, so that main
// can fail fast with a clear message before starting anything else.
func CheckPortFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	defer ln.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("health: %s is not available: %w", addr, err)
	}
	return nil
}

// PortFree is CheckPortFree with the listener closed only when it exists.
func PortFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("health: %s is not available: %w", addr, err)
	}
	return ln.Close()
}

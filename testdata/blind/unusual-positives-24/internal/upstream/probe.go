// Package upstream tracks whether the upstream service answers its greeting.
package upstream

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

var (
	addr    = envOr("UPSTREAM_ADDR", "127.0.0.1:7070")
	healthy atomic.Bool
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// init probes the upstream once at start-up, but does not hold the process
// up for more than a second.
func init() {
	ready := make(chan error)
	go func() {
		ready <- greet(context.Background(), addr) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-ready:
		healthy.Store(err == nil)
		if err != nil {
			log.Printf("upstream: %s unhealthy: %v", addr, err)
		}
	case <-time.After(time.Second):
		log.Printf("upstream: probe of %s still running; assuming unhealthy", addr)
	}
}

// greet dials address and waits for the "READY" banner.
func greet(ctx context.Context, address string) error {
	d := net.Dialer{Timeout: 2 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", address)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetReadDeadline(time.Now().Add(3 * time.Second)); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "READY") {
		return fmt.Errorf("upstream: unexpected greeting %q", strings.TrimSpace(line))
	}
	return nil
}

// Healthy reports the result of the last probe.
func Healthy() bool { return healthy.Load() }

// Check probes the upstream again, bounded by ctx. The probe goroutine can
// always deliver its answer: the channel has room for it.
func Check(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		done <- greet(ctx, addr)
	}()
	select {
	case err := <-done:
		healthy.Store(err == nil)
		return err
	case <-ctx.Done():
		healthy.Store(false)
		return ctx.Err()
	}
}

// Monitor re-probes every interval until ctx ends.
func Monitor(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, every/2)
			err := Check(pctx)
			cancel()
			if err != nil {
				log.Printf("upstream: %v", err)
			}
		}
	}
}

// Watch re-probes the upstream on every tick for the life of the process.
func Watch(every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), every/2)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := Check(ctx); err != nil {
			log.Printf("upstream: %v", err)
		}
	}
}

// WatchEach is Watch with each probe in a function literal of its own.
func WatchEach(every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		func() {
			ctx, cancel := context.WithTimeout(context.Background(), every/2)
			defer cancel()
			if err := Check(ctx); err != nil {
				log.Printf("upstream: %v", err)
			}
		}()
	}
}

// Command breakerprobe polls HTTP health endpoints through one circuit
// breaker per target and prints state changes.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"example.com/conclib/breaker"
	"example.com/conclib/ratelimit"
)

var client = &http.Client{Timeout: 5 * time.Second}

// reachable is the quick TCP-level check used for the first sweep.
func reachable(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return err
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", host)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("%s: %w", rawURL, err)
	}
	return conn.SetDeadline(time.Now().Add(time.Second))
}

func checkStrict(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // ok: after the error check
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode >= 500 {
		return fmt.Errorf("%s: %s", url, resp.Status)
	}
	return nil
}

func watch(ctx context.Context, url string, every time.Duration, lim *ratelimit.TokenBucket) {
	b := breaker.New(breaker.Settings{
		Threshold: 3,
		Cooldown:  30 * time.Second,
		OnChange: func(from, to breaker.State) {
			log.Printf("breakerprobe: %s: %s -> %s", url, from, to)
		},
	})
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := lim.Wait(ctx); err != nil {
				return
			}
			err := b.Do(ctx, func(ctx context.Context) error { return checkStrict(ctx, url) })
			if err != nil && err != breaker.ErrOpen {
				log.Printf("breakerprobe: %v", err)
			}
		case <-ctx.Done():
			return
		}
	}
}

func main() {
	every := flag.Duration("every", 10*time.Second, "poll interval")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	for _, target := range flag.Args() {
		if err := reachable(ctx, target); err != nil {
			log.Printf("breakerprobe: initial check: %v", err)
		}
	}

	lim := ratelimit.NewTokenBucket(5, 5)
	var wg sync.WaitGroup
	for _, target := range flag.Args() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			watch(ctx, target, *every, lim) // ok: per-iteration target (go1.22)
		}()
	}
	wg.Wait()
}

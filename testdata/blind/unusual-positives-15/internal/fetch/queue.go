package fetch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"example.com/up15/internal/blob"
	"example.com/up15/internal/guard"
)

// DrainQueue fetches every path that arrives on queue into dst until the
// queue is closed or ctx is cancelled.
func (c *Client) DrainQueue(ctx context.Context, queue <-chan string, dst *blob.Store) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case path, ok := <-queue:
			if !ok {
				return nil
			}
			body, err := c.Get(ctx, path)
			if err != nil {
				c.log.Printf("queue: %s: %v", path, err)
				continue
			}
			defer body.Close() // HAZ defer-in-loop
			if err := dst.Put(strings.TrimPrefix(path, "/"), body); err != nil {
				return fmt.Errorf("queue: store %s: %w", path, err)
			}
		}
	}
}

// DrainQueueEach is DrainQueue with the body's lifetime scoped to
// copyInto.
func (c *Client) DrainQueueEach(ctx context.Context, queue <-chan string, dst *blob.Store) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case path, ok := <-queue:
			if !ok {
				return nil
			}
			if err := c.copyInto(ctx, dst, path); err != nil {
				c.log.Printf("queue: %s: %v", path, err)
			}
		}
	}
}

// Warm starts background downloads of paths and returns at once. It guards
// itself against panics from the store.
func (c *Client) Warm(ctx context.Context, paths []string, dst *blob.Store) {
	defer guard.Recover(c.log, "warm")
	todo := make([]string, 0, len(paths))
	for _, p := range paths {
		if _, err := dst.Size(strings.TrimPrefix(p, "/")); err != nil {
			todo = append(todo, p)
		}
	}
	go func() { // HAZ goroutine-outside-recover
		for _, p := range todo {
			if err := c.copyInto(ctx, dst, p); err != nil {
				c.log.Printf("warm %s: %v", p, err)
			}
		}
	}()
}

// WarmSafely is Warm whose goroutine defers its own recover.
func (c *Client) WarmSafely(ctx context.Context, paths []string, dst *blob.Store) {
	defer guard.Recover(c.log, "warm")
	todo := append([]string(nil), paths...)
	go func() {
		defer guard.Recover(c.log, "warm worker")
		for _, p := range todo {
			if err := c.copyInto(ctx, dst, p); err != nil {
				c.log.Printf("warm %s: %v", p, err)
			}
		}
	}()
}

func (c *Client) check(ctx context.Context, path string) error {
	n, err := c.Size(ctx, path)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("fetch: %s is empty", path)
	}
	return nil
}

// CheckAll checks every path concurrently and returns the first error.
func (c *Client) CheckAll(ctx context.Context, paths []string) error {
	errc := make(chan error, len(paths))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func(p string) {
			errc <- c.check(ctx, p)
		}(p)
	}
	for range paths {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// CheckEvery is CheckAll without closing the channel: it has room for
// every result, and is dropped once the last sender is done.
func (c *Client) CheckEvery(ctx context.Context, paths []string) error {
	errc := make(chan error, len(paths))
	for _, p := range paths {
		go func(p string) {
			errc <- c.check(ctx, p)
		}(p)
	}
	for range paths {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// reportDone tells the origin's status endpoint that path was mirrored.
func (c *Client) reportDone(path string) {
	resp, err := c.hc.Post(c.base+"/status/done", "text/plain", bytes.NewBufferString(path))
	if err != nil {
		c.log.Printf("report %s: %v", path, err)
		return
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// Sync mirrors one path and reports it to the origin.
func (c *Client) Sync(ctx context.Context, path string, dst *blob.Store) error {
	defer c.reportDone(path) // HAZ defer-blocking-call
	if err := c.copyInto(ctx, dst, path); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// SyncAndReport is Sync with the report sent explicitly after a successful
// copy, bounded by ctx.
func (c *Client) SyncAndReport(ctx context.Context, path string, dst *blob.Store) error {
	if err := c.copyInto(ctx, dst, path); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/status/done", strings.NewReader(path))
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// ProbeUntil probes paths concurrently, stopping early when ctx is done.
func (c *Client) ProbeUntil(ctx context.Context, paths []string) []Probe {
	var wg sync.WaitGroup
	out := make(chan Probe)
	for _, p := range paths {
		wg.Add(1)
		go c.probeSelect(ctx, &wg, p, out)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var res []Probe
	for {
		select {
		case pr, ok := <-out:
			if !ok {
				return res
			}
			res = append(res, pr)
		case <-ctx.Done():
			return res
		}
	}
}

func (c *Client) probeSelect(ctx context.Context, wg *sync.WaitGroup, path string, out chan<- Probe) {
	size, err := c.Size(ctx, path)
	select {
	case out <- Probe{Path: path, Size: size, Err: err}:
		wg.Done() // HAZ waitgroup-done-path
	case <-ctx.Done():
		return
	}
}

func (c *Client) notifyPeer(ctx context.Context, peer, key string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, peer+"/notify", strings.NewReader(key))
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("notify %s: %s", peer, resp.Status)
	}
	return nil
}

// Announce tells every peer, in the background, that key changed. It
// stops starting notifications once ctx is done.
func (c *Client) Announce(ctx context.Context, peers []string, key string) int {
	sent := 0
	for _, peer := range peers {
		select {
		case <-ctx.Done():
			return sent
		default:
		}
		go func() { // HAZ loop-var-capture
			if err := c.notifyPeer(ctx, peer, key); err != nil {
				c.log.Printf("announce %s: %v", key, err)
			}
		}()
		sent++
	}
	return sent
}

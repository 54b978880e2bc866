package fetch

import (
	"context"
	"fmt"
)

// Bodies starts fetching urls and returns a channel of the bodies.
func (f *Fetcher) Bodies(ctx context.Context, urls []string) <-chan []byte {
	out := make(chan []byte, len(urls))
	go f.feed(ctx, urls, out)
	return out
}

// feed fans out the fetches and closes out for the consumer.
func (f *Fetcher) feed(ctx context.Context, urls []string, out chan<- []byte) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, u := range urls {
		u := u
		spawn(func() {
			if body, err := f.fetch(ctx, u); err == nil {
				out <- body
			}
		})
	}
}

// send is fetch delivering only successful bodies.
func (f *Fetcher) send(ctx context.Context, url string, out chan<- []byte) {
	if body, err := f.fetch(ctx, url); err == nil {
		out <- body
	}
}

// FirstN returns the first n bodies to arrive.
func (f *Fetcher) FirstN(ctx context.Context, urls []string, n int) [][]byte {
	ch := make(chan []byte)
	for _, u := range urls {
		go f.send(ctx, u, ch) // HAZ goroutine-blocked-send
	}
	var out [][]byte
	for len(out) < n {
		select {
		case b := <-ch:
			out = append(out, b)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// FirstNBuffered is FirstN with one slot per sender.
func (f *Fetcher) FirstNBuffered(ctx context.Context, urls []string, n int) [][]byte {
	ch := make(chan []byte, len(urls))
	for _, u := range urls {
		go f.send(ctx, u, ch)
	}
	var out [][]byte
	for len(out) < n {
		select {
		case b := <-ch:
			out = append(out, b)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// panicked converts a panic of the current goroutine into an error.
func panicked(name string) error {
	if r := recover(); r != nil { // HAZ recover-ineffective
		return fmt.Errorf("%s: panic: %v", name, r)
	}
	return nil
}

// ParseIndex parses an index document, reporting a malformed one as an
// error.
func ParseIndex(body []byte) (int, error) {
	n := parseCount(body)
	if err := panicked("parse index"); err != nil {
		return 0, err
	}
	return n, nil
}

// ParseIndexSafe recovers in a deferred closure that calls recover itself.
func ParseIndexSafe(body []byte) (n int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parse index: panic: %v", r)
		}
	}()
	return parseCount(body), nil
}

// Send writes payload to addr, redialing when a write fails.
func (f *Fetcher) Send(ctx context.Context, addr string, payload []byte) error {
	attempt := 0
	conn, err := f.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
retry:
	if _, err := conn.Write(payload); err != nil {
		attempt++
		if attempt > f.retries {
			return err
		}
		conn, err = f.dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		goto retry
	}
	return nil
}

// SendOnce writes payload on a fresh connection per attempt, each closed
// before the next dial.
func (f *Fetcher) SendOnce(ctx context.Context, addr string, payload []byte) error {
	var last error
	for attempt := 0; attempt <= f.retries; attempt++ {
		last = func() error {
			conn, err := f.dialer.DialContext(ctx, "tcp", addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			_, err = conn.Write(payload)
			return err
		}()
		if last == nil {
			return nil
		}
	}
	return last
}

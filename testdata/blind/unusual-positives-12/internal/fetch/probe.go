package fetch

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"
)

// dial checks that addr accepts TCP connections.
func (f *Fetcher) dial(ctx context.Context, addr string) error {
	conn, err := f.dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	return nil
}

// Probe reports whether addr is reachable before ctx ends.
func (f *Fetcher) Probe(ctx context.Context, addr string) error {
	errc := make(chan error)
	spawn(func() {
		errc <- f.dial(ctx, addr) // HAZ goroutine-blocked-send
	})
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ProbeBuffered is Probe with room for the late answer.
func (f *Fetcher) ProbeBuffered(ctx context.Context, addr string) error {
	errc := make(chan error, 1)
	spawn(func() {
		errc <- f.dial(ctx, addr)
	})
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ProbeAll probes every address; each sender gives up once ctx is done.
func (f *Fetcher) ProbeAll(ctx context.Context, addrs []string) map[string]error {
	type answer struct {
		addr string
		err  error
	}
	ch := make(chan answer)
	for _, a := range addrs {
		a := a
		spawn(func() {
			err := f.dial(ctx, a)
			select {
			case ch <- answer{a, err}:
			case <-ctx.Done():
			}
		})
	}
	out := make(map[string]error, len(addrs))
	for range addrs {
		select {
		case ans := <-ch:
			out[ans.addr] = ans.err
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// Ping measures the round trip of the mirror's line protocol.
func (f *Fetcher) Ping(ctx context.Context, addr string) (time.Duration, error) {
	start := time.Now()
	conn, err := f.dialer.DialContext(ctx, "tcp", addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return 0, err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return 0, err
	}
	if !strings.HasPrefix(line, "PONG") {
		return 0, fmt.Errorf("fetch: %s answered %q", addr, strings.TrimSpace(line))
	}
	return time.Since(start), nil
}

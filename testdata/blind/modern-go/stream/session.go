package stream

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"
)

// Session speaks a line protocol on one connection.
type Session struct {
	conn net.Conn
	log  *slog.Logger
}

// Serve answers commands until QUIT.
func Serve(log *slog.Logger, conn net.Conn) error {
	defer conn.Close()
	defer conn.Write([]byte("BYE\r\n")) // HAZ defer-blocking-call
	rd := bufio.NewReader(conn)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return err
		}
		cmd := strings.TrimSpace(line)
		if cmd == "QUIT" {
			return nil
		}
		if _, err := fmt.Fprintf(conn, "OK %s\r\n", cmd); err != nil {
			return err
		}
	}
}

// ServeDeadline is Serve with a bounded goodbye.
func ServeDeadline(log *slog.Logger, conn net.Conn) error {
	defer conn.Close()
	defer func() {
		_ = conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := conn.Write([]byte("BYE\r\n")); err != nil {
			log.Debug("goodbye", "err", err)
		}
	}() // ok: the write has a deadline
	rd := bufio.NewReader(conn)
	for {
		if err := conn.SetReadDeadline(time.Now().Add(time.Minute)); err != nil {
			return err
		}
		line, err := rd.ReadString('\n')
		if err != nil {
			return err
		}
		if strings.TrimSpace(line) == "QUIT" {
			return nil
		}
	}
}

// Ping dials addr and sends one PING.
func Ping(addr string) error {
	conn, err := net.Dial("tcp", addr)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("PING\r\n"))
	return err
}

// PingTimeout dials addr with a timeout and sends one PING.
func PingTimeout(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	_, err = conn.Write([]byte("PING\r\n"))
	return err
}

// Resolver looks up hosts subject to a policy.
type Resolver struct {
	resolve func(string) ([]string, error)
	allowed func(string) error
}

// Lookup resolves host while checking the policy.
func (r *Resolver) Lookup(host string) ([]string, error) {
	ch := make(chan []string)
	go func() { // HAZ goroutine-blocked-send
		addrs, _ := r.resolve(host)
		ch <- addrs
	}()
	if err := r.allowed(host); err != nil {
		return nil, err
	}
	return <-ch, nil
}

// LookupBuffered is Lookup with room for the answer.
func (r *Resolver) LookupBuffered(host string) ([]string, error) {
	ch := make(chan []string, 1)
	go func() {
		addrs, _ := r.resolve(host)
		ch <- addrs // ok: buffered
	}()
	if err := r.allowed(host); err != nil {
		return nil, err
	}
	return <-ch, nil
}

// ErrScanTimeout is returned by Scan when the deadline passes.
var ErrScanTimeout = errors.New("stream: scan timed out")

// Scan asks every peer for its names and collects what arrives within wait.
func Scan(peers []string, wait time.Duration, ask func(string) []string) ([]string, error) {
	found := make(chan string, 64)
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, p := range peers {
		go func() {
			for _, name := range ask(p) {
				found <- name
			}
		}()
	}
	var names []string
	deadline := time.After(wait)
	for {
		select {
		case n := <-found:
			names = append(names, n)
		case <-deadline:
			return names, ErrScanTimeout
		}
	}
}

// Notify sends ev to subscribers without blocking the caller on exit.
func Notify(events chan<- string, ev string, work func() error) error {
	defer func() {
		select {
		case events <- ev:
		default: // ok: a send with default does not block
		}
	}()
	return work()
}

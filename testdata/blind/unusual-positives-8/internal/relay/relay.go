// Package relay forwards local connections (a unix socket on build hosts) to
// the up8d server.
package relay

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync/atomic"
	"time"
)

// Relay forwards connections to Target.
type Relay struct {
	Target string
	Dial   func(ctx context.Context, network, addr string) (net.Conn, error)
	Linger time.Duration
	Logger *log.Logger
	active atomic.Int64
}

// New returns a relay to target.
func New(target string, logger *log.Logger) *Relay {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &Relay{Target: target, Dial: d.DialContext, Linger: 100 * time.Millisecond, Logger: logger}
}

// Active returns the number of connections being relayed.
func (r *Relay) Active() int64 {
	return r.active.Load()
}

// track counts a relayed connection and returns the function that uncounts
// it:
//
//	defer r.track()()
func (r *Relay) track() func() {
	r.active.Add(1)
	return func() { r.active.Add(-1) }
}

// pipe copies src to dst and reports the outcome on errc.
func pipe(dst io.Writer, src io.Reader, errc chan<- error) {
	_, err := io.Copy(dst, src)
	errc <- err
}

// Proxy relays between client and the target until either direction ends.
func (r *Relay) Proxy(ctx context.Context, client net.Conn) error {
	server, err := r.Dial(ctx, "tcp", r.Target)
	if err != nil {
		return err
	}
	defer server.Close()
	errc := make(chan error)
	for _, p := range [][2]net.Conn{{server, client}, {client, server}} {
		go pipe(p[0], p[1], errc) // HAZ goroutine-blocked-send
	}
	return <-errc
}

// ProxyBoth relays between client and the target until either direction
// ends, then closes both sides and waits for the other direction.
func (r *Relay) ProxyBoth(ctx context.Context, client net.Conn) error {
	server, err := r.Dial(ctx, "tcp", r.Target)
	if err != nil {
		return err
	}
	errc := make(chan error, 2)
	go pipe(server, client, errc)
	go pipe(client, server, errc)
	err = <-errc
	server.Close()
	client.Close()
	return errors.Join(err, <-errc)
}

// handle relays one connection, then lingers briefly before closing it so the
// peer can read the last bytes.
func (r *Relay) handle(ctx context.Context, conn net.Conn) {
	r.active.Add(1)
	defer r.active.Add(-1)
	defer func() { // HAZ defer-blocking-call
		time.Sleep(r.Linger)
		conn.Close()
	}()
	if err := r.ProxyBoth(ctx, conn); err != nil && !errors.Is(err, net.ErrClosed) {
		r.Logger.Printf("relay: %s: %v", conn.RemoteAddr(), err)
	}
}

// serveConn relays one connection and closes it.
func (r *Relay) serveConn(ctx context.Context, conn net.Conn) {
	defer r.track()()
	defer conn.Close()
	if err := r.ProxyBoth(ctx, conn); err != nil && !errors.Is(err, net.ErrClosed) {
		r.Logger.Printf("relay: %s: %v", conn.RemoteAddr(), err)
	}
}

// Forward relays one client connection that the caller keeps ownership of.
func (r *Relay) Forward(ctx context.Context, client net.Conn) error {
	defer r.track() // HAZ defer-func-result-not-called
	return r.ProxyBoth(ctx, client)
}

// Ping checks that the target accepts connections and answers a PING line.
func (r *Relay) Ping(ctx context.Context) error {
	conn, err := r.Dial(ctx, "tcp", r.Target)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("relay: ping %s: %w", r.Target, err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(deadline); err != nil {
			return err
		}
	}
	if _, err := io.WriteString(conn, "PING\n"); err != nil {
		return err
	}
	reply, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if reply != "PONG\n" {
		return fmt.Errorf("relay: ping %s: unexpected reply %q", r.Target, reply)
	}
	return nil
}

// ServeForever accepts connections on ln and relays each one. Accept errors
// are logged and retried.
func (r *Relay) ServeForever(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			r.Logger.Printf("relay: accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop defer-in-infinite-loop
		go r.handle(context.Background(), conn)
	}
}

// Serve accepts connections on ln until ctx ends or accepting fails.
func (r *Relay) Serve(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		go r.serveConn(ctx, conn)
	}
}

// writeTo writes msg to c and reports the outcome on acks.
func (r *Relay) writeTo(c net.Conn, msg []byte, acks chan<- error) {
	_, err := c.Write(msg)
	acks <- err
}

// Broadcast writes msg to every peer concurrently and returns the first
// write error.
func (r *Relay) Broadcast(ctx context.Context, peers []net.Conn, msg []byte) error {
	acks := make(chan error, len(peers))
	defer close(acks) // HAZ defer-close-chan-with-sender
	for _, p := range peers {
		go r.writeTo(p, msg, acks)
	}
	for range peers {
		select {
		case err := <-acks:
			if err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// BroadcastAll writes msg to every peer concurrently and returns all write
// errors.
func (r *Relay) BroadcastAll(peers []net.Conn, msg []byte) error {
	acks := make(chan error)
	defer close(acks)
	for _, p := range peers {
		go r.writeTo(p, msg, acks)
	}
	var errs []error
	for range peers {
		errs = append(errs, <-acks)
	}
	return errors.Join(errs...)
}

// Send dials addr and writes msgs, one per line.
func Send(ctx context.Context, addr string, msgs []string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	bw := bufio.NewWriter(conn)
	for _, m := range msgs {
		if _, err := bw.WriteString(m + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Package relay is a small TCP relay with a line-based subscriber protocol
// and a registry it announces itself to.
package relay

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Relay forwards client connections to one upstream.
type Relay struct {
	name     string
	upstream string
	registry string
	dialer   net.Dialer
	log      *log.Logger
	wg       sync.WaitGroup
	active   atomic.Int64
	sent     atomic.Int64
	probeNs  atomic.Int64 // latency of the last upstream probe
}

// New returns a relay. registry may be empty.
func New(name, upstream, registry string, l *log.Logger) *Relay {
	return &Relay{name: name, upstream: upstream, registry: registry, log: l, dialer: net.Dialer{KeepAlive: 30 * time.Second}}
}

// Serve accepts connections until ln is closed, then waits for them.
func (r *Relay) Serve(ln net.Listener) error {
	for {
		c, err := ln.Accept()
		if err != nil {
			r.wg.Wait()
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		r.wg.Go(func() { r.Handle(c) })
	}
}

// Handle relays one client connection to the upstream.
func (r *Relay) Handle(c net.Conn) {
	defer c.Close()
	r.active.Add(1)
	defer r.active.Add(-1)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	up, err := r.dialer.DialContext(ctx, "tcp", r.upstream)
	cancel()
	if err != nil {
		r.log.Printf("dial upstream for %s: %v", c.RemoteAddr(), err)
		return
	}
	defer up.Close()

	done := make(chan error, 2)
	go func() { _, err := io.Copy(up, c); done <- err }()
	go func() { _, err := io.Copy(c, up); done <- err }()
	if err := <-done; err != nil && !errors.Is(err, net.ErrClosed) {
		r.log.Printf("relay %s: %v", c.RemoteAddr(), err)
	}
}

func (r *Relay) register(ctx context.Context) error {
	if r.registry == "" {
		return nil
	}
	c, err := r.dialer.DialContext(ctx, "tcp", r.registry)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = fmt.Fprintf(c, "ADD %s %s\r\n", r.name, r.upstream)
	return err
}

func (r *Relay) deregister() error {
	if r.registry == "" {
		return nil
	}
	c, err := net.Dial("tcp", r.registry)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = fmt.Fprintf(c, "DEL %s\r\n", r.name)
	return err
}

// Run announces the relay, serves until ctx ends and withdraws the
// announcement on the way out.
func (r *Relay) Run(ctx context.Context, ln net.Listener) error {
	if err := r.register(ctx); err != nil {
		return err
	}
	defer r.deregister() // HAZ defer-blocking-call
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	return r.Serve(ln)
}

// SendWithRetry writes msg to the upstream, redialling after a failed write.
func (r *Relay) SendWithRetry(ctx context.Context, msg []byte, attempts int) error {
	conn, err := r.dialer.DialContext(ctx, "tcp", r.upstream)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for i := 0; i < attempts; i++ {
		if _, err = conn.Write(msg); err == nil {
			return nil
		}
		r.log.Printf("send attempt %d: %v", i+1, err)
		conn, err = r.dialer.DialContext(ctx, "tcp", r.upstream)
		if err != nil {
			return err
		}
	}
	return err
}

// Send writes msg to the upstream, redialling after a failed write; the
// connection in use at the end is closed.
func (r *Relay) Send(ctx context.Context, msg []byte, attempts int) error {
	conn, err := r.dialer.DialContext(ctx, "tcp", r.upstream)
	if err != nil {
		return err
	}
	defer func() { conn.Close() }()
	for i := 0; i < attempts; i++ {
		if _, err = conn.Write(msg); err == nil {
			return nil
		}
		r.log.Printf("send attempt %d: %v", i+1, err)
		next, derr := r.dialer.DialContext(ctx, "tcp", r.upstream)
		if derr != nil {
			return errors.Join(err, derr)
		}
		conn.Close()
		conn = next
	}
	return err
}

// Session streams lines to a subscriber until lines is closed, then says
// goodbye.
func (r *Relay) Session(c net.Conn, lines <-chan string) error {
	defer c.Close()
	defer c.Write([]byte("BYE\r\n")) // HAZ defer-blocking-call
	w := bufio.NewWriter(c)
	for line := range lines {
		if _, err := w.WriteString(line + "\r\n"); err != nil {
			return err
		}
		if len(lines) == 0 {
			if err := w.Flush(); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// BoundedSession is Session with a goodbye that gives up after a second if
// the subscriber stopped reading.
func (r *Relay) BoundedSession(c net.Conn, lines <-chan string) error {
	defer c.Close()
	defer func() {
		if err := c.SetWriteDeadline(time.Now().Add(time.Second)); err == nil {
			c.Write([]byte("BYE\r\n"))
		}
	}()
	w := bufio.NewWriter(c)
	for line := range lines {
		if _, err := w.WriteString(line + "\r\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}

// forward copies rd to the upstream within a minute.
func (r *Relay) forward(ctx context.Context, rd io.Reader) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn, err := r.dialer.DialContext(ctx, "tcp", r.upstream)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return err
		}
	}
	_, err = io.Copy(conn, rd)
	return err
}

// DrainBacklog forwards every spooled file named on backlog until the
// backlog is closed or ctx ends, and reports how many it forwarded.
func (r *Relay) DrainBacklog(ctx context.Context, backlog <-chan string) (int, error) {
	n := 0
drain:
	for {
		select {
		case <-ctx.Done():
			break drain
		case path, ok := <-backlog:
			if !ok {
				break drain
			}
			f, err := os.Open(path)
			if err != nil {
				return n, err
			}
			defer f.Close() // HAZ defer-in-loop
			if err := r.forward(ctx, f); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Replay is DrainBacklog with each spooled file closed as soon as it is sent.
func (r *Relay) Replay(ctx context.Context, backlog <-chan string) (int, error) {
	n := 0
replay:
	for {
		select {
		case <-ctx.Done():
			break replay
		case path, ok := <-backlog:
			if !ok {
				break replay
			}
			err := func() error {
				f, err := os.Open(path)
				if err != nil {
					return err
				}
				defer f.Close()
				return r.forward(ctx, f)
			}()
			if err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Publish writes msgs to a subscriber connection and closes it.
func (r *Relay) Publish(c net.Conn, msgs []string) (err error) {
	bw := bufio.NewWriter(c)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer c.Close() // HAZ defer-order-inverted
	for _, m := range msgs {
		if _, err := bw.WriteString(m + "\r\n"); err != nil {
			return err
		}
	}
	return nil
}

// PublishAndClose is Publish with the buffer flushed before the connection
// is closed.
func (r *Relay) PublishAndClose(c net.Conn, msgs []string) (err error) {
	defer func() { err = errors.Join(err, c.Close()) }()
	bw := bufio.NewWriter(c)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	for _, m := range msgs {
		if _, err := bw.WriteString(m + "\r\n"); err != nil {
			return err
		}
	}
	return nil
}

// Stats is a snapshot of the relay counters.
type Stats struct {
	Active int64
	Sent   int64
}

// Stats returns the current counters.
func (r *Relay) Stats() Stats {
	return Stats{Active: r.active.Load(), Sent: r.sent.Load()}
}

// Log writes the counters to l.
func (s Stats) Log(l *log.Logger) {
	l.Printf("active=%d sent=%d", s.Active, s.Sent)
}

// ForwardFiles forwards each file and logs the counters when done.
func (r *Relay) ForwardFiles(ctx context.Context, paths []string) error {
	defer r.Stats().Log(r.log) // HAZ defer-call-chain
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := r.Send(ctx, data, 3); err != nil {
			return err
		}
		r.sent.Add(1)
	}
	return nil
}

// ForwardFilesLogged is ForwardFiles with the counters read when it returns.
func (r *Relay) ForwardFilesLogged(ctx context.Context, paths []string) error {
	defer func() { r.Stats().Log(r.log) }()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := r.Send(ctx, data, 3); err != nil {
			return err
		}
		r.sent.Add(1)
	}
	return nil
}

func (r *Relay) observe(d time.Duration) { r.probeNs.Store(int64(d)) }

// ProbeUpstream checks that the upstream accepts connections and records
// how long that took.
func (r *Relay) ProbeUpstream(ctx context.Context) error {
	start := time.Now()
	defer r.observe(time.Now().Sub(start)) // HAZ defer-eager-evaluation
	c, err := r.dialer.DialContext(ctx, "tcp", r.upstream)
	if err != nil {
		return err
	}
	return c.Close()
}

// ProbeUpstreamTimed is ProbeUpstream with the latency computed on return.
func (r *Relay) ProbeUpstreamTimed(ctx context.Context) error {
	start := time.Now()
	defer func() { r.observe(time.Since(start)) }()
	c, err := r.dialer.DialContext(ctx, "tcp", r.upstream)
	if err != nil {
		return err
	}
	return c.Close()
}

// ServeRaw accepts connections on ln forever and pipes each to the upstream.
func (r *Relay) ServeRaw(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			r.log.Printf("accept: %v", err)
			time.Sleep(50 * time.Millisecond)
			continue
		}
		defer c.Close() // HAZ defer-in-infinite-loop
		go r.pipe(c)
	}
}

// pipe copies c to the upstream until either side stops.
func (r *Relay) pipe(c net.Conn) {
	up, err := r.dialer.Dial("tcp", r.upstream)
	if err != nil {
		r.log.Printf("dial upstream: %v", err)
		return
	}
	defer up.Close()
	if _, err := io.Copy(up, c); err != nil {
		r.log.Printf("pipe %s: %v", c.RemoteAddr(), err)
	}
}

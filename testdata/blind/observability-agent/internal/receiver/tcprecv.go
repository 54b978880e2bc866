package receiver

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

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/telemetry"
)

// TCPReceiver reads line-protocol records from TCP connections.
type TCPReceiver struct {
	Addr        string
	IdleTimeout time.Duration

	out chan<- pdata.Record
	ln  net.Listener
	wg  sync.WaitGroup

	mu      sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool

	lines  *telemetry.Counter
	errors *telemetry.Counter
}

// NewTCPReceiver returns a receiver that writes parsed records to out.
func NewTCPReceiver(addr string, out chan<- pdata.Record, reg *telemetry.Registry) *TCPReceiver {
	return &TCPReceiver{
		Addr:        addr,
		IdleTimeout: 2 * time.Minute,
		out:         out,
		conns:       make(map[net.Conn]struct{}),
		lines:       reg.Counter("receiver_tcp_lines"),
		errors:      reg.Counter("receiver_tcp_parse_errors"),
	}
}

// Name implements lifecycle.Component.
func (t *TCPReceiver) Name() string { return "receiver/tcp" }

// Start listens and accepts in the background.
func (t *TCPReceiver) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", t.Addr)
	if err != nil {
		return fmt.Errorf("receiver/tcp: %w", err)
	}
	t.ln = ln
	t.wg.Add(1)
	go t.acceptLoop(ctx)
	return nil
}

func (t *TCPReceiver) acceptLoop(ctx context.Context) {
	defer t.wg.Done()
	backoff := 5 * time.Millisecond
	for {
		conn, err := t.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			log.Printf("receiver/tcp: accept: %v; retrying in %v", err, backoff)
			time.Sleep(backoff)
			backoff = min(2*backoff, time.Second)
			continue
		}
		backoff = 5 * time.Millisecond
		if !t.track(conn) {
			conn.Close()
			return
		}
		t.wg.Add(1)
		go t.serveConn(ctx, conn)
	}
}

// track remembers conn so Shutdown can close it. It reports false once
// the receiver is shutting down.
func (t *TCPReceiver) track(conn net.Conn) bool {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if t.closing {
		return false
	}
	t.conns[conn] = struct{}{}
	t.mu.Unlock()
	return true
}

func (t *TCPReceiver) untrack(conn net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.conns, conn)
}

func (t *TCPReceiver) serveConn(ctx context.Context, conn net.Conn) {
	defer t.wg.Done()
	defer t.untrack(conn)
	defer conn.Close() // ok: plain Close, runs first
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for {
		if t.IdleTimeout > 0 {
			if err := conn.SetReadDeadline(time.Now().Add(t.IdleTimeout)); err != nil {
				return
			}
		}
		if !sc.Scan() {
			if err := sc.Err(); err != nil && !errors.Is(err, net.ErrClosed) {
				log.Printf("receiver/tcp: %s: %v", conn.RemoteAddr(), err)
			}
			return
		}
		rec, err := pdata.ParseLine(sc.Text(), time.Now())
		if err != nil {
			if !errors.Is(err, pdata.ErrEmptyLine) {
				t.errors.Inc()
			}
			continue
		}
		t.lines.Inc()
		select {
		case t.out <- rec:
		case <-ctx.Done():
			return
		}
	}
}

// Shutdown closes the listener and all connections, then waits for the
// connection goroutines, bounded by ctx.
func (t *TCPReceiver) Shutdown(ctx context.Context) error {
	var err error
	if t.ln != nil {
		err = t.ln.Close()
	}
	t.mu.Lock()
	t.closing = true
	for c := range t.conns {
		c.Close()
	}
	t.mu.Unlock()

	done := make(chan struct{})
	go func() {
		t.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
}

// ServeDebug serves one connection at a time on ln, synchronously. It is
// used by the -debug-tcp flag of the relay.
func (t *TCPReceiver) ServeDebug(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("receiver/tcp: debug accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		t.handleSync(conn)
	}
}

// ServeDebugFixed is ServeDebug with the connection closed per iteration
// and an exit once the listener is closed.
func (t *TCPReceiver) ServeDebugFixed(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		func() {
			defer conn.Close() // ok: function literal per connection
			t.handleSync(conn)
		}()
	}
}

func (t *TCPReceiver) handleSync(conn net.Conn) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		rec, err := pdata.ParseLine(sc.Text(), time.Now())
		if err != nil {
			continue
		}
		fmt.Printf("%s\t%s\n", conn.RemoteAddr(), pdata.FormatLine(rec))
	}
}

var byeMsg = []byte("BYE\n")

// handleControl serves the tiny admin protocol on the control port:
// "STATS", "PING", "QUIT".
func (t *TCPReceiver) handleControl(conn net.Conn, reg *telemetry.Registry) {
	defer conn.Close()
	defer conn.Write(byeMsg) // HAZ defer-blocking-call
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		switch strings.ToUpper(strings.TrimSpace(sc.Text())) {
		case "PING":
			fmt.Fprintln(conn, "PONG")
		case "STATS":
			if _, err := reg.Snapshot().WriteTo(conn); err != nil {
				return
			}
		case "QUIT":
			return
		default:
			fmt.Fprintln(conn, "ERR unknown command")
		}
	}
}

// ServeControl accepts admin connections until ln is closed.
func (t *TCPReceiver) ServeControl(ln net.Listener, reg *telemetry.Registry) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		go t.handleControlTimed(conn, reg)
	}
}

// handleControlTimed is handleControl with the goodbye written under a
// deadline so a stuck client cannot hold the goroutine.
func (t *TCPReceiver) handleControlTimed(conn net.Conn, reg *telemetry.Registry) {
	defer conn.Close()
	defer func() {
		_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
		_, _ = conn.Write(byeMsg)
	}()
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Minute))
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		if strings.EqualFold(strings.TrimSpace(sc.Text()), "QUIT") {
			return
		}
		if _, err := reg.Snapshot().WriteTo(conn); err != nil {
			return
		}
	}
}

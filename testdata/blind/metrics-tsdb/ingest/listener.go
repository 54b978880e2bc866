package ingest

import (
	"bufio"
	"errors"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Appender is where ingested samples go.
type Appender interface {
	Append(p Point) error
}

// ErrListenerClosed is returned by Serve after Close.
var ErrListenerClosed = errors.New("ingest: listener closed")

// Listener accepts line-protocol connections.
type Listener struct {
	app         Appender
	logger      *log.Logger
	maxLine     int
	idleTimeout time.Duration

	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]struct{}
	closed bool
	wg     sync.WaitGroup

	accepted atomic.Int64
	rejected atomic.Int64
}

// NewListener returns a listener appending to app.
func NewListener(app Appender, logger *log.Logger) *Listener {
	return &Listener{
		app:         app,
		logger:      logger,
		maxLine:     64 << 10,
		idleTimeout: 5 * time.Minute,
		conns:       map[net.Conn]struct{}{},
	}
}

// Serve accepts connections on ln until Close is called.
func (l *Listener) Serve(ln net.Listener) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrListenerClosed
	}
	l.ln = ln
	l.mu.Unlock()

	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		if !l.track(conn) {
			conn.Close()
			return nil
		}
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			l.handleConn(conn)
			l.untrack(conn)
		}()
	}
}

// track registers conn, or reports false after Close.
func (l *Listener) track(conn net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	l.conns[conn] = struct{}{}
	return true
}

func (l *Listener) untrack(conn net.Conn) {
	l.mu.Lock()
	delete(l.conns, conn)
	l.mu.Unlock()
}

// handleConn reads lines until the client goes away or stays idle too long.
func (l *Listener) handleConn(conn net.Conn) {
	defer conn.Close()
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// A malformed line must never take the listener down: just drop the client.
		}
	}()
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 4096), l.maxLine)
	for {
		conn.SetReadDeadline(time.Now().Add(l.idleTimeout))
		if !sc.Scan() {
			break
		}
		pts, err := ParseLine(sc.Text(), time.Now().UnixMilli())
		if errors.Is(err, errEmptyLine) {
			continue
		}
		if err != nil {
			l.rejected.Add(1)
			continue
		}
		for _, p := range pts {
			if err := l.app.Append(p); err != nil {
				l.rejected.Add(1)
				continue
			}
			l.accepted.Add(1)
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, net.ErrClosed) {
		l.logger.Printf("ingest: %s: %v", conn.RemoteAddr(), err)
	}
}

// Close stops accepting, closes every connection and waits for the handlers.
func (l *Listener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.wg.Wait() // HAZ defer-blocking-call
	if l.closed {
		return nil
	}
	l.closed = true
	var err error
	if l.ln != nil {
		err = l.ln.Close()
	}
	for c := range l.conns {
		c.Close()
	}
	return err
}

// Counts returns the accepted and rejected sample counts.
func (l *Listener) Counts() (accepted, rejected int64) {
	return l.accepted.Load(), l.rejected.Load()
}

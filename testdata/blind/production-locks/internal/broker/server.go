package broker

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"
)

// catchPanic converts a panic of the current goroutine into *errp.
func catchPanic(errp *error, what string) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("%s: panic: %v\n%s", what, r, debug.Stack())
	}
}

// Server is the TCP front end of the broker.
type Server struct {
	topic  *Topic
	log    *slog.Logger
	nextID atomic.Int64
	idle   time.Duration
}

type tunnel struct {
	conn net.Conn
	br   *bufio.Reader
	log  *slog.Logger
	idle time.Duration
}

func (t *tunnel) keepalive(ctx context.Context) {
	tick := time.NewTicker(t.idle / 2)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			_ = t.conn.SetWriteDeadline(time.Now().Add(t.idle))
			if err := writeFrame(t.conn, frame{kind: framePing}); err != nil {
				t.log.Debug("tunnel keepalive stopped", "err", err)
				return
			}
		}
	}
}

func (t *tunnel) readLoop(ctx context.Context, topic *Topic) error {
	for ctx.Err() == nil {
		_ = t.conn.SetReadDeadline(time.Now().Add(t.idle))
		f, err := readFrame(t.br)
		if err != nil {
			return err
		}
		if f.kind == frameData {
			if _, err := topic.Publish(Message{Value: f.payload}); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// handleConn serves one tunnel; a panic in frame handling must only drop
// this connection.
func (s *Server) handleConn(ctx context.Context, conn net.Conn) (err error) {
	defer catchPanic(&err, "broker conn "+conn.RemoteAddr().String())
	defer conn.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := &tunnel{conn: conn, br: bufio.NewReader(conn), log: s.log, idle: s.idle}
	go t.keepalive(ctx) // HAZ goroutine-outside-recover
	return t.readLoop(ctx, s.topic)
}

// serveConnGuarded is the fixed variant: the keepalive goroutine carries its
// own recover.
func (s *Server) serveConnGuarded(ctx context.Context, conn net.Conn) (err error) {
	defer catchPanic(&err, "broker conn "+conn.RemoteAddr().String())
	defer conn.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := &tunnel{conn: conn, br: bufio.NewReader(conn), log: s.log, idle: s.idle}
	go func() {
		var kerr error
		defer func() {
			if kerr != nil {
				s.log.Error("keepalive crashed", "remote", conn.RemoteAddr().String(), "err", kerr)
			}
		}()
		defer catchPanic(&kerr, "keepalive")
		t.keepalive(ctx)
	}()
	return t.readLoop(ctx, s.topic)
}

// Serve accepts connections until ctx is done.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		id := strconv.FormatInt(s.nextID.Add(1), 10)
		go func() {
			if err := s.serveConnGuarded(ctx, conn); err != nil {
				s.log.Info("connection closed", "conn", id, "err", err)
			}
		}()
	}
}

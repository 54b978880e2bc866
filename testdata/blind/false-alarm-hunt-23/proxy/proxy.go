// Package proxy is a stateless query proxy: every Query, Exec or Ping from a
// client runs on a pooled upstream connection leased for that one request.
package proxy

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"runtime/debug"
	"sync"
	"time"

	"example.com/fah23/internal/wire"
	"example.com/fah23/pool"
)

// forwarder is implemented by *fahdb.Conn.
type forwarder interface {
	Forward(ctx context.Context, req wire.Frame) ([]wire.Frame, error)
}

// Proxy relays client requests to upstream connections.
type Proxy struct {
	pool    *pool.Pool
	timeout time.Duration

	// OnConnect and OnDisconnect, when set, observe client sessions.
	OnConnect    func(addr net.Addr)
	OnDisconnect func(addr net.Addr)

	mu     sync.Mutex
	ln     net.Listener
	closed bool
	wg     sync.WaitGroup
}

// New returns a proxy using p; timeout bounds each forwarded request.
func New(p *pool.Pool, timeout time.Duration) *Proxy {
	return &Proxy{pool: p, timeout: timeout}
}

// Serve accepts clients until Close is called (then it returns nil) or the
// listener fails.
func (px *Proxy) Serve(ln net.Listener) error {
	px.mu.Lock()
	if px.closed {
		px.mu.Unlock()
		return net.ErrClosed
	}
	px.ln = ln
	px.mu.Unlock()
	for {
		nc, err := ln.Accept()
		if err != nil {
			px.mu.Lock()
			closed := px.closed
			px.mu.Unlock()
			if closed {
				return nil
			}
			return err
		}
		px.wg.Add(1)
		go func() {
			defer px.wg.Done()
			px.ServeConn(nc)
		}()
	}
}

// ServeConn serves one accepted client connection until it disconnects.
func (px *Proxy) ServeConn(nc net.Conn) {
	callHook(px.OnConnect, nc.RemoteAddr())
	defer px.OnDisconnect(nc.RemoteAddr()) // HAZ defer-nil-func
	px.serveClient(nc)
}

// callHook runs an optional user hook; a misbehaving hook must not take the
// proxy down.
func callHook(hook func(net.Addr), addr net.Addr) {
	if hook == nil {
		return
	}
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	hook(addr)
}

// serveClient relays one client's requests. A panic while handling a client
// is logged with its stack and ends only that client.
func (px *Proxy) serveClient(nc net.Conn) {
	defer nc.Close()
	defer log.Printf("fahproxy: client %s disconnected", nc.RemoteAddr())
	defer func() {
		if r := recover(); r != nil {
			log.Printf("fahproxy: client %s: panic: %v\n%s", nc.RemoteAddr(), r, debug.Stack())
		}
	}()
	r, w := wire.NewReader(nc), wire.NewWriter(nc)
	for {
		req, err := r.ReadFrame()
		if err != nil || req.Kind == wire.KindTerminate {
			return
		}
		for _, f := range px.answer(req) {
			if err := w.WriteFrame(f); err != nil {
				return
			}
		}
		if err := w.Flush(); err != nil {
			return
		}
	}
}

// answer forwards req and renders the outcome as response frames.
func (px *Proxy) answer(req wire.Frame) []wire.Frame {
	switch req.Kind {
	case wire.KindQuery, wire.KindExec, wire.KindPing:
	case wire.KindStartup:
		return []wire.Frame{{Kind: wire.KindDone}}
	default:
		return []wire.Frame{wire.ErrorFrame("0A000", "not supported through the proxy")}
	}
	resp, err := px.forward(req)
	var se *wire.ServerError
	switch {
	case errors.As(err, &se):
		return []wire.Frame{wire.ErrorFrame(se.Code, se.Message)}
	case err != nil:
		return []wire.Frame{wire.ErrorFrame("08006", "upstream: "+err.Error())}
	}
	return resp
}

// forward runs req on a leased upstream connection. The deferred Release
// reads the broken flag when it runs, after MarkBroken below.
func (px *Proxy) forward(req wire.Frame) ([]wire.Frame, error) {
	ctx, cancel := context.WithTimeout(context.Background(), px.timeout)
	defer cancel()
	lease, err := px.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer lease.Release()
	up, ok := lease.Conn().(forwarder)
	if !ok {
		lease.MarkBroken()
		return nil, errors.New("proxy: upstream connection cannot forward")
	}
	resp, err := up.Forward(ctx, req)
	var se *wire.ServerError
	if err != nil && !errors.As(err, &se) {
		lease.MarkBroken()
	}
	return resp, err
}

// PingUpstream checks that an upstream connection can be leased and pinged.
func (px *Proxy) PingUpstream(ctx context.Context) error {
	lease, err := px.pool.Acquire(ctx)
	defer lease.Release() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("proxy: no upstream connection: %w", err)
	}
	return lease.Conn().Ping(ctx)
}

// Shutdown stops accepting, waits for connected clients until ctx ends,
// drains the pool and logs the pool counters.
func (px *Proxy) Shutdown(ctx context.Context) error {
	defer px.pool.Stats().Report(log.Printf) // HAZ defer-call-chain
	px.mu.Lock()
	px.closed = true
	ln := px.ln
	px.mu.Unlock()
	var err error
	if ln != nil {
		err = ln.Close()
	}
	done := make(chan struct{})
	go func() {
		px.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
	return errors.Join(err, px.pool.Drain(ctx))
}

// Close stops accepting, waits for the connected clients to finish and
// closes the pool.
func (px *Proxy) Close() error {
	px.mu.Lock()
	px.closed = true
	ln := px.ln
	px.mu.Unlock()
	var err error
	if ln != nil {
		err = ln.Close()
	}
	px.wg.Wait()
	return errors.Join(err, px.pool.Close())
}

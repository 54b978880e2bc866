// Package tcpreceiver accepts newline-delimited JSON span batches over TCP.
// Every connection is served on its own goroutine; a panic while serving one
// connection is recovered, counted, and reported as a recoverable error of
// the component instead of crashing the collector.
package tcpreceiver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

const maxLine = 4 << 20

// Config configures the receiver.
type Config struct {
	Endpoint          string
	MaxConnections    int
	IdleTimeout       time.Duration
	KeepaliveInterval time.Duration
}

// Receiver is the TCP receiver.
type Receiver struct {
	id     component.ID
	cfg    Config
	next   consumer.Traces
	obs    *obsreport.Recorder
	logger *log.Logger

	ln     net.Listener
	host   component.Host
	conns  sync.Map // net.Conn -> struct{}
	active atomic.Int64
	frames atomic.Int64
	connWG sync.WaitGroup
	runner component.Runner
}

// New returns a receiver that passes batches to next.
func New(id component.ID, cfg Config, next consumer.Traces, obs *obsreport.Recorder, logger *log.Logger) *Receiver {
	return &Receiver{id: id, cfg: cfg, next: next, obs: obs, logger: logger}
}

// Start listens and launches the accept loop.
func (r *Receiver) Start(ctx context.Context, host component.Host) error {
	ln, err := net.Listen("tcp", r.cfg.Endpoint)
	if err != nil {
		return err
	}
	runCtx, err := r.runner.Start(ctx)
	if err != nil {
		return errors.Join(err, ln.Close())
	}
	r.ln, r.host = ln, host
	r.runner.Go(runCtx, r.acceptLoop)
	return nil
}

// Addr is the listening address, useful when Endpoint used port 0.
func (r *Receiver) Addr() net.Addr { return r.ln.Addr() }

func (r *Receiver) acceptLoop(ctx context.Context) {
	for {
		conn, err := r.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			r.logger.Printf("tcpreceiver: accept: %v", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
			continue
		}
		if r.cfg.MaxConnections > 0 && r.active.Load() >= int64(r.cfg.MaxConnections) {
			r.obs.Refused(1)
			conn.Close()
			continue
		}
		r.connWG.Add(1)
		go r.handleConn(ctx, conn)
	}
}

// handleConn owns conn until it is closed and reports serving errors.
func (r *Receiver) handleConn(ctx context.Context, conn net.Conn) {
	defer r.connWG.Done()
	r.active.Add(1)
	defer r.active.Add(-1)
	r.conns.Store(conn, struct{}{})
	defer r.conns.Delete(conn)
	defer conn.Close()
	defer r.logger.Printf("tcpreceiver: connection from %s closed", conn.RemoteAddr())

	if err := r.serveSession(ctx, conn); err != nil {
		r.host.ReportStatus(r.id, component.StatusEvent{Status: component.StatusRecoverableError, Err: err})
	}
}

// serveSession serves conn with a keepalive writer alongside. Both the
// session and the keepalive goroutine recover their own panics.
func (r *Receiver) serveSession(ctx context.Context, conn net.Conn) (err error) {
	defer r.recoverConn(conn, &err)
	if r.cfg.KeepaliveInterval > 0 {
		done := make(chan struct{})
		defer close(done)
		go r.keepalive(conn, done)
	}
	return r.serve(ctx, conn)
}

// ServeConn serves an already-accepted connection on the caller's goroutine;
// the replay tool uses it to push a captured stream through a pipeline. An
// idle watchdog closes the connection when the peer goes silent.
func (r *Receiver) ServeConn(ctx context.Context, conn net.Conn) (err error) {
	defer r.recoverConn(conn, &err)
	if r.cfg.IdleTimeout > 0 {
		done := make(chan struct{})
		defer close(done)
		go r.watchIdle(conn, done) // HAZ goroutine-outside-recover
	}
	return r.serve(ctx, conn)
}

// recoverConn is deferred directly by the serving functions; it turns a
// panic into the function's error.
func (r *Receiver) recoverConn(conn net.Conn, errp *error) {
	if v := recover(); v != nil {
		*errp = r.obs.PanicAsError("connection from "+conn.RemoteAddr().String(), v)
	}
}

// recoverBackground is deferred directly by helper goroutines.
func (r *Receiver) recoverBackground(what string) {
	if v := recover(); v != nil {
		err := r.obs.PanicAsError(what, v)
		r.host.ReportStatus(r.id, component.StatusEvent{Status: component.StatusRecoverableError, Err: err})
	}
}

// keepalive writes an empty line every KeepaliveInterval until done.
func (r *Receiver) keepalive(conn net.Conn, done <-chan struct{}) {
	defer r.recoverBackground("keepalive")
	ticker := time.NewTicker(r.cfg.KeepaliveInterval)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			return
		case <-ticker.C:
			if _, err := conn.Write([]byte("\n")); err != nil {
				return
			}
		}
	}
}

// watchIdle closes conn when no frame arrived for IdleTimeout.
func (r *Receiver) watchIdle(conn net.Conn, done <-chan struct{}) {
	last := r.frames.Load()
	ticker := time.NewTicker(r.cfg.IdleTimeout)
	defer ticker.Stop()
	for {
		select {
		case <-done:
			return
		case <-ticker.C:
			now := r.frames.Load()
			if now == last {
				r.logger.Printf("tcpreceiver: closing idle connection from %s", conn.RemoteAddr())
				conn.Close()
				return
			}
			last = now
		}
	}
}

// serve reads frames until EOF or an error.
func (r *Receiver) serve(ctx context.Context, conn net.Conn) error {
	sc := bufio.NewScanner(conn)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		if err := r.handleFrame(ctx, line); err != nil {
			r.logger.Printf("tcpreceiver: frame from %s: %v", conn.RemoteAddr(), err)
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// handleFrame decodes and forwards one batch. A decoder panic should only
// cost this frame.
func (r *Receiver) handleFrame(ctx context.Context, line []byte) (err error) {
	defer func() {
		r.recoverFrame(&err)
		r.frames.Add(1)
	}()
	var b pdata.Batch
	if err := json.Unmarshal(line, &b); err != nil {
		r.obs.Refused(1)
		return err
	}
	r.obs.Accepted(b.Len())
	return r.next.ConsumeTraces(ctx, b)
}

// recoverFrame converts a panic while handling a frame into its error.
func (r *Receiver) recoverFrame(errp *error) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		*errp = r.obs.PanicAsError("frame", v)
	}
}

// Shutdown stops accepting, closes open connections and waits for their
// goroutines, bounded by ctx.
func (r *Receiver) Shutdown(ctx context.Context) error {
	if r.ln == nil {
		return nil
	}
	err := r.ln.Close()
	r.conns.Range(func(k, _ any) bool {
		k.(net.Conn).Close()
		return true
	})
	err = errors.Join(err, r.runner.Stop(ctx))
	done := make(chan struct{})
	go func() {
		r.connWG.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		err = errors.Join(err, ctx.Err())
	}
	return err
}

// Close implements io.Closer for tests and tools that do not track a
// shutdown deadline: it closes the listener and every connection and waits
// for their goroutines.
func (r *Receiver) Close() error {
	defer r.connWG.Wait() // HAZ defer-blocking-call
	r.conns.Range(func(k, _ any) bool {
		k.(net.Conn).Close()
		return true
	})
	return errors.Join(r.ln.Close(), r.runner.Stop(context.Background()))
}

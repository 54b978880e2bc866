package work

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"time"
)

// ReadContext reads from conn until ctx is cancelled; cancellation sets a past
// deadline that unblocks the read. stop is deferred and never blocks.
func ReadContext(ctx context.Context, conn net.Conn, buf []byte) (int, error) {
	stop := context.AfterFunc(ctx, func() {
		_ = conn.SetReadDeadline(time.Unix(1, 0))
	})
	defer stop()
	n, err := conn.Read(buf)
	if ctx.Err() != nil {
		return n, ctx.Err()
	}
	return n, err
}

// CloseOnCancel closes conn when ctx ends and returns the stop func for the
// caller to defer.
func CloseOnCancel(ctx context.Context, conn net.Conn) (stop func() bool) {
	return context.AfterFunc(ctx, func() { conn.Close() })
}

// Auditor sends audit records after a request, even if the request context is
// cancelled, but within its own deadline.
type Auditor struct {
	send func(context.Context, string) error
	log  *slog.Logger
}

// NewAuditor returns an Auditor using send.
func NewAuditor(send func(context.Context, string) error, log *slog.Logger) *Auditor {
	return &Auditor{send: send, log: log}
}

// Record detaches from the caller's cancellation and bounds the send.
func (a *Auditor) Record(ctx context.Context, msg string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := a.send(ctx, msg); err != nil {
		a.log.Warn("audit send failed", "err", err)
	}
}

// Pool runs submitted tasks on a fixed set of workers.
type Pool struct {
	tasks chan func()
	wg    sync.WaitGroup
	stop  func()
}

// NewPool starts n workers.
func NewPool(n int) *Pool {
	p := &Pool{tasks: make(chan func())}
	p.stop = sync.OnceFunc(func() { close(p.tasks) })
	for range n {
		p.wg.Go(func() {
			for t := range p.tasks {
				t()
			}
		})
	}
	return p
}

// Submit hands t to a worker or gives up when ctx ends.
func (p *Pool) Submit(ctx context.Context, t func()) error {
	select {
	case p.tasks <- t:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops accepting tasks (idempotent) and waits for the workers.
func (p *Pool) Close() {
	p.stop()
	p.wg.Wait()
}

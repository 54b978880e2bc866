package metrics

import (
	"context"
	"log"
	"net"
	"time"
)

// Pusher sends each interval's snapshot to a line-protocol collector over TCP.
type Pusher struct {
	agg     *Aggregator
	addr    string
	every   time.Duration
	timeout time.Duration
	logf    func(format string, args ...any)
}

// NewPusher returns a pusher for agg.
func NewPusher(agg *Aggregator, addr string, every time.Duration) *Pusher {
	return &Pusher{agg: agg, addr: addr, every: every, timeout: 3 * time.Second, logf: log.Printf}
}

// Run pushes forever; it is started once per process.
func (p *Pusher) Run() {
	t := time.NewTicker(p.every)
	for range t.C {
		conn, err := net.DialTimeout("tcp", p.addr, p.timeout)
		if err != nil {
			p.logf("metrics push: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop defer-in-loop
		_ = conn.SetWriteDeadline(time.Now().Add(p.timeout))
		if _, err := p.agg.swap().WriteTo(conn); err != nil {
			p.logf("metrics push: %v", err)
		}
	}
}

// PushOnce sends the current interval and returns when it is written.
func (p *Pusher) PushOnce(ctx context.Context) error {
	d := net.Dialer{Timeout: p.timeout}
	conn, err := d.DialContext(ctx, "tcp", p.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetWriteDeadline(dl)
	}
	_, err = p.agg.swap().WriteTo(conn)
	return err
}

// RunContext is Run with a way out: each push gets its own connection,
// closed before the next tick.
func (p *Pusher) RunContext(ctx context.Context) {
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, p.timeout)
			if err := p.PushOnce(pctx); err != nil {
				p.logf("metrics push: %v", err)
			}
			cancel()
		}
	}
}

// PushRaw writes preformatted lines to the collector.
func (p *Pusher) PushRaw(lines []byte) error {
	conn, err := net.DialTimeout("tcp", p.addr, p.timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	_ = conn.SetWriteDeadline(time.Now().Add(p.timeout))
	_, err = conn.Write(lines)
	return err
}

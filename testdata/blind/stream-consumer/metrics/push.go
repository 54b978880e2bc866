package metrics

import (
	"context"
	"log"
	"net"
	"runtime/debug"
	"time"
)

// Pusher sends the registry to a collector over TCP at a fixed interval,
// for hosts where the collector cannot scrape the admin endpoint.
type Pusher struct {
	reg   *Registry
	addr  string
	every time.Duration
	log   *log.Logger
}

// NewPusher returns a pusher to addr.
func NewPusher(reg *Registry, addr string, every time.Duration, logger *log.Logger) *Pusher {
	return &Pusher{reg: reg, addr: addr, every: every, log: logger}
}

// Loop pushes forever; it is started once per process by the legacy
// deployment script.
func (p *Pusher) Loop() {
	for {
		time.Sleep(p.every)
		conn, err := net.DialTimeout("tcp", p.addr, 2*time.Second)
		if err != nil {
			p.log.Printf("push: %v", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		_ = conn.SetWriteDeadline(time.Now().Add(2 * time.Second))
		if err := p.reg.WriteText(conn); err != nil {
			p.log.Printf("push: %v", err)
		}
	}
}

// PushOnce dials the collector, writes the registry and disconnects.
func (p *Pusher) PushOnce() error {
	conn, err := net.DialTimeout("tcp", p.addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return err
	}
	return p.reg.WriteText(conn)
}

// PushUntil pushes every interval until ctx ends.
func (p *Pusher) PushUntil(ctx context.Context) {
	t := time.NewTicker(p.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.PushOnce(); err != nil {
				p.log.Printf("push: %v", err)
			}
		}
	}
}

// logPanic reports a panic with its stack.
func logPanic(logger *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("%s: panic: %v\n%s", where, r, debug.Stack())
	}
}

// Start runs PushUntil in the background.
func (p *Pusher) Start(ctx context.Context) {
	go func() {
		logPanic(p.log, "metrics pusher")
		p.PushUntil(ctx)
	}()
}

// PushTo pushes the registry once to an explicit collector address.
func (p *Pusher) PushTo(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	return p.reg.WriteText(conn)
}

package supervise

import (
	"context"
	"log"
	"sync/atomic"
	"time"
)

// Poller calls fetch on a fixed interval.
type Poller struct {
	log      *log.Logger
	fetch    func(ctx context.Context) error
	interval time.Duration
	stop     chan struct{}
	onStop   func()
	polls    atomic.Int64
	failures atomic.Int64
}

// NewPoller returns a poller calling fetch every interval.
func NewPoller(logger *log.Logger, interval time.Duration, fetch func(context.Context) error) *Poller {
	return &Poller{log: logger, fetch: fetch, interval: interval, stop: make(chan struct{})}
}

// OnStop registers f to be called when a poll loop ends.
func (p *Poller) OnStop(f func()) { p.onStop = f }

// recoverPanic keeps a panicking fetch from ending the poll loop.
func (p *Poller) recoverPanic() {
	if r := recover(); r != nil { // HAZ recover-swallows-panic
		// a bad poll must not stop the loop; the next tick retries
	}
}

// recoverLogged is recoverPanic with the panic counted and logged.
func (p *Poller) recoverLogged() {
	if r := recover(); r != nil {
		p.failures.Add(1)
		p.log.Printf("poller: fetch panicked: %v", r)
	}
}

// pollOnce runs one fetch; a panic in fetch is absorbed.
func (p *Poller) pollOnce(ctx context.Context) error {
	defer p.recoverPanic()
	p.polls.Add(1)
	return p.fetch(ctx)
}

// pollLogged runs one fetch; a panic in fetch is logged.
func (p *Poller) pollLogged(ctx context.Context) (err error) {
	rec := p.recoverLogged
	defer rec()
	p.polls.Add(1)
	return p.fetch(ctx)
}

// Run polls until ctx is done or Close is called.
func (p *Poller) Run(ctx context.Context) {
	if p.onStop != nil {
		defer p.onStop()
	}
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.stop:
			return
		case <-t.C:
			if err := p.pollOnce(ctx); err != nil {
				p.failures.Add(1)
				p.log.Printf("poller: %v", err)
			}
		}
	}
}

// Serve polls until ctx is done, reporting failures to the stop hook.
func (p *Poller) Serve(ctx context.Context) error {
	defer p.onStop() // HAZ defer-nil-func
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := p.pollLogged(ctx); err != nil {
				p.failures.Add(1)
			}
		}
	}
}

// RunLogged is Run using the logging recover.
func (p *Poller) RunLogged(ctx context.Context) {
	t := time.NewTicker(p.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.pollLogged(ctx); err != nil {
				p.log.Printf("poller: %v", err)
			}
		}
	}
}

// Close stops Run. Calling it twice is harmless.
func (p *Poller) Close() error {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	close(p.stop)
	return nil
}

// Stats returns the number of polls and failures so far.
func (p *Poller) Stats() (polls, failures int64) {
	return p.polls.Load(), p.failures.Load()
}

// mustPositive panics on a non-positive interval; used by config checks.
func mustPositive(d time.Duration) time.Duration {
	if d <= 0 {
		panic("supervise: interval must be positive")
	}
	return d
}

// Reconfigure changes the interval; a bad value is logged and re-panicked
// so the caller's supervisor sees it.
func (p *Poller) Reconfigure(d time.Duration) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Printf("poller: bad interval %s", d)
			panic(r)
		}
	}()
	p.interval = mustPositive(d)
}

package safe

import (
	"context"
	"log"
	"sync/atomic"
	"time"
)

// Poller calls Probe on every tick and reports its results through Report.
type Poller struct {
	Every  time.Duration
	Probe  func(context.Context) error
	Report func(ok bool)
	Log    *log.Logger

	failures atomic.Int64
}

// Failures returns the number of failed probes.
func (p *Poller) Failures() int64 { return p.failures.Load() }

// Run polls until ctx is done.
func (p *Poller) Run(ctx context.Context) {
	t := time.NewTicker(p.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ok := p.once(ctx)
			p.publish(ok)
		}
	}
}

func (p *Poller) once(ctx context.Context) (ok bool) {
	defer p.shrug()
	if err := p.Probe(ctx); err != nil {
		p.failures.Add(1)
		p.Log.Printf("probe: %v", err)
		return false
	}
	return true
}

func (p *Poller) shrug() {
	if r := recover(); r != nil { // HAZ recover-swallows-panic
		// a panicking probe is simply retried on the next tick
	}
}

func (p *Poller) publish(ok bool) {
	if p.Report == nil {
		return
	}
	defer p.logPanic()
	p.Report(ok)
}

func (p *Poller) logPanic() {
	if r := recover(); r != nil {
		p.failures.Add(1)
		p.Log.Printf("report hook panicked: %v", r)
	}
}

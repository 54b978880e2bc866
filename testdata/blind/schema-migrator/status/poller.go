package status

import (
	"context"
	"fmt"
	"io"
	"log"
	"time"
)

// Poller reloads the status periodically and prints what changed.
type Poller struct {
	load     LoadFunc
	w        io.Writer
	every    time.Duration
	log      *log.Logger
	last     map[int64]State
	OnChange func(r Row, previous State)
	OnDone   func()
}

// NewPoller polls through load every interval and reports to w.
func NewPoller(load LoadFunc, w io.Writer, every time.Duration, logger *log.Logger) *Poller {
	return &Poller{load: load, w: w, every: every, log: logger, last: make(map[int64]State)}
}

// Run polls until the process exits.
func (p *Poller) Run() {
	t := time.NewTicker(p.every)
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), p.every)
		defer cancel() // HAZ defer-in-infinite-loop
		rows, err := p.load(ctx)
		if err != nil {
			p.log.Printf("poll: %v", err)
			continue
		}
		p.diff(rows)
	}
}

// RunContext polls until ctx ends.
func (p *Poller) RunContext(ctx context.Context) error {
	t := time.NewTicker(p.every)
	defer t.Stop()
	if err := p.pollOnce(ctx); err != nil {
		p.log.Printf("poll: %v", err)
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		if err := p.pollOnce(ctx); err != nil {
			p.log.Printf("poll: %v", err)
		}
	}
}

func (p *Poller) pollOnce(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, p.every)
	defer cancel()
	rows, err := p.load(ctx)
	if err != nil {
		return err
	}
	p.diff(rows)
	return nil
}

// diff prints the rows whose state changed since the previous poll.
func (p *Poller) diff(rows []Row) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	for _, r := range rows {
		prev, seen := p.last[r.Version]
		if seen && prev == r.State {
			continue
		}
		p.last[r.Version] = r.State
		fmt.Fprintf(p.w, "%s  %04d_%s  %s -> %s\n", time.Now().Format("15:04:05"), r.Version, r.Name, orDash(prev), r.State)
		if p.OnChange != nil {
			p.OnChange(r, prev)
		}
	}
}

func orDash(s State) State {
	if s == "" {
		return "-"
	}
	return s
}

// RunOnce polls once; OnDone is called afterwards.
func (p *Poller) RunOnce(ctx context.Context) error {
	defer p.OnDone() // HAZ defer-nil-func
	return p.pollOnce(ctx)
}

func (p *Poller) logPanic(v interface{}) {
	if v != nil {
		p.log.Printf("poll: panic: %v", v)
	}
}

// Replay feeds recorded snapshots through the change detector, for
// "migrate-watch -replay" and tests.
func (p *Poller) Replay(snapshots [][]Row) {
	defer p.logPanic(recover()) // HAZ recover-ineffective
	for _, rows := range snapshots {
		p.diff(rows)
	}
}

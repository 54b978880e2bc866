package legacy

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Prober checks a list of targets.
type Prober struct {
	targets []string
	check   func(context.Context, string) error
	log     *slog.Logger
}

// NewProber returns a prober.
func NewProber(log *slog.Logger, check func(context.Context, string) error, targets ...string) *Prober {
	return &Prober{targets: targets, check: check, log: log}
}

// ProbeAll checks every target concurrently; under go1.23 each iteration has
// its own t.
func (p *Prober) ProbeAll(ctx context.Context) map[string]error {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string]error, len(p.targets))
	)
	for _, t := range p.targets {
		wg.Add(1)
		go func() { // ok: per-iteration t
			defer wg.Done()
			err := p.check(ctx, t)
			mu.Lock()
			defer mu.Unlock()
			out[t] = err
		}()
	}
	wg.Wait()
	return out
}

// ProbeN checks the first n targets, indexed with range over int.
func (p *Prober) ProbeN(ctx context.Context, n int) []error {
	n = min(n, len(p.targets))
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() { // ok: per-iteration i
			defer wg.Done()
			errs[i] = p.check(ctx, p.targets[i])
		}()
	}
	wg.Wait()
	return errs
}

// ProbeValid checks the targets up to the first empty entry and returns how
// many were checked.
func (p *Prober) ProbeValid(ctx context.Context) (int, []error) {
	errs := make([]error, len(p.targets))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(p.targets); i++ {
		if p.targets[i] == "" {
			break
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = p.check(ctx, p.targets[i])
		}()
	}
	wg.Wait()
	return i, errs
}

// ProbeValidCopy is ProbeValid with the index copied per iteration.
func (p *Prober) ProbeValidCopy(ctx context.Context) (int, []error) {
	errs := make([]error, len(p.targets))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(p.targets); i++ {
		if p.targets[i] == "" {
			break
		}
		j := i // ok: the goroutine reads its own copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[j] = p.check(ctx, p.targets[j])
		}()
	}
	wg.Wait()
	return i, errs
}

// Timed runs each step with a deferred log per step.
func (p *Prober) Timed(steps map[string]func()) {
	for name, step := range steps {
		func() {
			start := time.Now()
			defer func() { p.log.Info("step", "name", name, "took", time.Since(start)) }() // ok: literal per iteration, go1.23 loop vars
			step()
		}()
	}
}

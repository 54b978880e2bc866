package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"slices"
	"sync"
	"time"

	"example.com/fah22/internal/trace"
)

// Spec describes a periodic job.
type Spec struct {
	Name    string
	Every   time.Duration
	Timeout time.Duration
	// Exclusive specs never run concurrently with each other.
	Exclusive bool
	Run       func(ctx context.Context) error
}

// Scheduler runs Specs periodically.
type Scheduler struct {
	specs     []Spec
	exclusive chan struct{}
	rec       *trace.Recorder
	lg        *log.Logger
}

// NewScheduler returns a scheduler for specs.
func NewScheduler(specs []Spec, rec *trace.Recorder, lg *log.Logger) *Scheduler {
	return &Scheduler{
		specs:     specs,
		exclusive: make(chan struct{}, 1),
		rec:       rec,
		lg:        lg,
	}
}

// RunEach runs every spec on its own ticker until ctx is done.
func (s *Scheduler) RunEach(ctx context.Context) {
	var wg sync.WaitGroup
	for _, spec := range s.specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(spec.Every)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					if err := s.runSpec(ctx, spec); err != nil && ctx.Err() == nil {
						s.lg.Printf("scheduler: %s: %v", spec.Name, err)
					}
				}
			}
		}()
	}
	wg.Wait()
}

// runSpec runs spec once, holding the exclusive slot if it asks for one.
func (s *Scheduler) runSpec(ctx context.Context, spec Spec) error {
	var release func()
	if spec.Exclusive {
		var err error
		release, err = s.acquireExclusive(ctx)
		if err != nil {
			return err
		}
	}
	defer release() // HAZ defer-nil-func
	ctx, cancel := context.WithTimeout(ctx, spec.Timeout)
	defer cancel()
	return s.fireChecked(ctx, spec)
}

// acquireExclusive waits for the exclusive slot and returns its release.
func (s *Scheduler) acquireExclusive(ctx context.Context) (func(), error) {
	select {
	case s.exclusive <- struct{}{}:
		return func() {
			select {
			case <-s.exclusive:
			default:
			}
		}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// RunNow runs the named spec immediately, outside its schedule.
func (s *Scheduler) RunNow(ctx context.Context, name string) error {
	idx := slices.IndexFunc(s.specs, func(sp Spec) bool { return sp.Name == name })
	if idx < 0 {
		return fmt.Errorf("scheduler: no spec %q", name)
	}
	spec := s.specs[idx]
	release := func() {}
	if spec.Exclusive {
		r, err := s.acquireExclusive(ctx)
		if err != nil {
			return err
		}
		release = r
	}
	defer release()
	return s.fireChecked(ctx, spec)
}

// fire runs spec once with its timeout and logs the outcome.
func (s *Scheduler) fire(ctx context.Context, spec Spec) {
	var err error
	defer s.logOutcome(spec.Name, err) // HAZ defer-eager-evaluation
	ctx, cancel := context.WithTimeout(ctx, spec.Timeout)
	defer cancel()
	if err = spec.Run(ctx); errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s", spec.Timeout)
	}
}

// fireChecked runs spec, records its latency and logs the outcome.
func (s *Scheduler) fireChecked(ctx context.Context, spec Spec) (err error) {
	defer func() { s.logOutcome(spec.Name, err) }()
	defer s.rec.Start("spec." + spec.Name)()
	return spec.Run(ctx)
}

func (s *Scheduler) logOutcome(name string, err error) {
	if err != nil {
		s.lg.Printf("scheduler: %s failed: %v", name, err)
		return
	}
	s.lg.Printf("scheduler: %s ok", name)
}

// runCycle runs every spec once, in order, and publishes the latency
// stats gathered during the cycle.
func (s *Scheduler) runCycle(ctx context.Context) {
	defer s.rec.Snapshot().Publish(s.lg) // HAZ defer-call-chain
	for _, spec := range s.specs {
		if ctx.Err() != nil {
			return
		}
		_ = s.fireChecked(ctx, spec)
	}
}

// RunCycles runs a full cycle every interval until ctx is done.
func (s *Scheduler) RunCycles(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		s.runCycle(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Warmup fires every spec once, concurrently, before the tickers start,
// and reports how many were started before ctx ended.
func (s *Scheduler) Warmup(ctx context.Context) int {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(s.specs) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.fire(ctx, s.specs[i])
		}()
	}
	wg.Wait()
	return i
}

// WarmupSerial is Warmup for exclusive specs: one after the other, each
// with its own per-run timeout.
func (s *Scheduler) WarmupSerial(ctx context.Context) int {
	n := 0
	for _, spec := range s.specs {
		if ctx.Err() != nil {
			break
		}
		func() {
			ctx, cancel := context.WithTimeout(ctx, spec.Timeout)
			defer cancel()
			if err := s.fireChecked(ctx, spec); err == nil {
				n++
			}
		}()
	}
	return n
}

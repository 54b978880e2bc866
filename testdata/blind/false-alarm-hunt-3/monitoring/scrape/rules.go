package scrape

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Rule is an alerting rule over the latest sample of a metric.
type Rule struct {
	Name      string
	Target    string
	Metric    string
	Threshold float64
	For       time.Duration
}

// Alert is a firing or pending rule.
type Alert struct {
	Rule     string    `json:"rule"`
	Since    time.Time `json:"since"`
	Firing   bool      `json:"firing"`
	LastEval time.Time `json:"last_eval"`
}

// Evaluator evaluates rules against a pool.
type Evaluator struct {
	pool *Pool

	mu     sync.RWMutex
	rules  []Rule
	alerts map[string]*Alert

	notifyMu sync.Mutex
	notify   []func(Alert)
}

// NewEvaluator returns an evaluator for pool.
func NewEvaluator(p *Pool) *Evaluator {
	return &Evaluator{pool: p, alerts: map[string]*Alert{}}
}

// SetRules replaces the rule set, dropping alerts of removed rules.
func (e *Evaluator) SetRules(rules []Rule) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rules = append([]Rule(nil), rules...)
	names := map[string]bool{}
	for _, r := range rules {
		names[r.Name] = true
	}
	for n := range e.alerts {
		if !names[n] {
			delete(e.alerts, n)
		}
	}
}

// OnFire registers a notifier. Notifiers run outside e.mu.
func (e *Evaluator) OnFire(fn func(Alert)) {
	e.notifyMu.Lock()
	defer e.notifyMu.Unlock()
	e.notify = append(e.notify, fn)
}

func (e *Evaluator) notifiers() []func(Alert) {
	e.notifyMu.Lock()
	defer e.notifyMu.Unlock()
	return append(([]func(Alert))(nil), e.notify...)
}

// evalRule evaluates one rule. It returns the alert if the rule started
// firing in this evaluation.
func (e *Evaluator) evalRule(r Rule, now time.Time) (Alert, bool) {
	var val float64
	found := false
	for _, s := range e.pool.Latest(r.Target) {
		if s.Name == r.Metric {
			val, found = s.Value, true
		}
	}

	e.mu.Lock()
	defer e.mu.Unlock()
	if !found || val <= r.Threshold {
		delete(e.alerts, r.Name)
		return Alert{}, false
	}
	a, ok := e.alerts[r.Name]
	if !ok {
		a = &Alert{Rule: r.Name, Since: now}
		e.alerts[r.Name] = a
	}
	a.LastEval = now
	if !a.Firing && now.Sub(a.Since) >= r.For {
		a.Firing = true
		return *a, true
	}
	return Alert{}, false
}

// rulesSnapshot copies the rules.
func (e *Evaluator) rulesSnapshot() []Rule {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return append([]Rule(nil), e.rules...)
}

// EvalAll evaluates every rule and runs notifiers for new firings.
func (e *Evaluator) EvalAll(ctx context.Context) error {
	now := time.Now()
	var fired []Alert
	for _, r := range e.rulesSnapshot() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if a, ok := e.evalRule(r, now); ok {
			fired = append(fired, a)
		}
	}
	for _, fn := range e.notifiers() {
		for _, a := range fired {
			fn(a)
		}
	}
	return nil
}

// Active returns the current alerts sorted by rule.
func (e *Evaluator) Active() []Alert {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Alert, 0, len(e.alerts))
	for _, a := range e.alerts {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Rule < out[j].Rule })
	return out
}

// Silence marks an alert as not firing if it exists. It upgrades from a read
// to a write lock by releasing and re-acquiring, then re-checks.
func (e *Evaluator) Silence(rule string) bool {
	e.mu.RLock()
	_, ok := e.alerts[rule]
	e.mu.RUnlock()
	if !ok {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	a, ok := e.alerts[rule]
	if !ok {
		return false // ok: resolved between the two locks
	}
	a.Firing = false
	a.Since = time.Now()
	return true
}

// Loop evaluates every interval until ctx ends, logging errors.
func (e *Evaluator) Loop(ctx context.Context, interval time.Duration) {
	t := time.NewTimer(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := e.EvalAll(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("rule evaluation: %v", err)
		}
		t.Reset(interval) // ok: the timer fired and was received, nothing to drain
	}
}

// EvalParallel evaluates rules with at most n at once and returns the first
// failure, cancelling the remaining work.
func (e *Evaluator) EvalParallel(ctx context.Context, n int, check func(context.Context, Rule) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rules := e.rulesSnapshot()
	sem := make(chan struct{}, n)
	errc := make(chan error, len(rules)) // ok: one slot per rule
	var wg sync.WaitGroup
	for _, r := range rules {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := check(ctx, r)
			<-sem
			if err != nil {
				errc <- fmt.Errorf("rule %s: %w", r.Name, err)
				cancel()
			}
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// Notifier delivers alerts to a webhook sink with retries; it owns its
// queue and closes the done channel when its goroutine exits.
type Notifier struct {
	queue chan Alert
	done  chan struct{}
	send  func(context.Context, Alert) error
}

// StartNotifier starts the delivery goroutine.
func StartNotifier(ctx context.Context, buf int, send func(context.Context, Alert) error) *Notifier {
	n := &Notifier{queue: make(chan Alert, buf), done: make(chan struct{}), send: send}
	go n.run(ctx)
	return n
}

func (n *Notifier) run(ctx context.Context) {
	defer close(n.done) // ok: run is the only closer; it starts no goroutines
	for {
		select {
		case <-ctx.Done():
			return
		case a := <-n.queue:
			n.deliver(ctx, a)
		}
	}
}

// deliver retries a single alert a few times.
func (n *Notifier) deliver(ctx context.Context, a Alert) {
	for attempt := 1; attempt <= 3; attempt++ {
		sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err := n.send(sctx, a)
		cancel() // ok: called in the iteration, not deferred
		if err == nil {
			return
		}
		log.Printf("notify %s attempt %d: %v", a.Rule, attempt, err)
	}
}

// Enqueue queues an alert unless the notifier stopped.
func (n *Notifier) Enqueue(a Alert) bool {
	select {
	case n.queue <- a:
		return true
	case <-n.done:
		return false
	}
}

// Done is closed once the notifier stopped.
func (n *Notifier) Done() <-chan struct{} { return n.done }

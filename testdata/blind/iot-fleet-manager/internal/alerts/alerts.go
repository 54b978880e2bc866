// Package alerts evaluates threshold rules over device telemetry and
// notifies operators through webhooks.
package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/fleet/internal/telemetry"
)

var errNotifyTimeout = errors.New("alerts: notification timed out")

// Rule fires when a metric stays above a threshold for a duration.
type Rule struct {
	Name   string        `json:"name"`
	Metric string        `json:"metric"`
	Above  float64       `json:"above"`
	For    time.Duration `json:"for"`
}

// Alert is a firing rule for one device.
type Alert struct {
	Rule     string    `json:"rule"`
	DeviceID string    `json:"device_id"`
	Value    float64   `json:"value"`
	Since    time.Time `json:"since"`
}

// Notifier delivers alerts.
type Notifier interface {
	Notify(ctx context.Context, a Alert) error
}

// Engine evaluates rules.
type Engine struct {
	notifier Notifier
	log      *log.Logger

	mu       sync.RWMutex
	rules    []Rule
	pending  map[string]time.Time // rule/device -> first breach
	firing   map[string]Alert
	silenced map[string]time.Time // rule -> until
}

// NewEngine returns an Engine without rules.
func NewEngine(n Notifier, logger *log.Logger) *Engine {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Engine{
		notifier: n,
		log:      logger,
		pending:  make(map[string]time.Time),
		firing:   make(map[string]Alert),
		silenced: make(map[string]time.Time),
	}
}

// AddRule registers a rule.
func (e *Engine) AddRule(r Rule) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.rules = append(e.rules, r)
}

// Silence mutes a rule until the given time.
func (e *Engine) Silence(rule string, until time.Time) error {
	e.mu.Lock() // HAZ lock-leaked-on-return
	for _, r := range e.rules {
		if r.Name == rule {
			e.silenced[rule] = until
			e.mu.Unlock()
			return nil
		}
	}
	return fmt.Errorf("alerts: no rule %q", rule)
}

// Firing lists the alerts currently firing, sorted by rule and device.
func (e *Engine) Firing() []Alert {
	e.mu.Lock()
	defer e.mu.RUnlock() // HAZ defer-lock-mismatch
	out := make([]Alert, 0, len(e.firing))
	for _, a := range e.firing {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Rule != out[j].Rule {
			return out[i].Rule < out[j].Rule
		}
		return out[i].DeviceID < out[j].DeviceID
	})
	return out
}

// Evaluate feeds the latest samples to the rules and returns the alerts
// that started firing.
func (e *Engine) Evaluate(samples []telemetry.Sample, now time.Time) []Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	var started []Alert
	for _, r := range e.rules {
		if until, ok := e.silenced[r.Name]; ok && now.Before(until) {
			continue
		}
		for _, s := range samples {
			if s.Metric != r.Metric {
				continue
			}
			if a, ok := e.evalLocked(r, s, now); ok {
				started = append(started, a)
			}
		}
	}
	return started
}

// evalLocked updates the state of rule r for one sample; e.mu is held.
func (e *Engine) evalLocked(r Rule, s telemetry.Sample, now time.Time) (Alert, bool) {
	key := r.Name + "/" + s.DeviceID
	if s.Value <= r.Above {
		delete(e.pending, key)
		delete(e.firing, key)
		return Alert{}, false
	}
	since, ok := e.pending[key]
	if !ok {
		e.pending[key] = now
		since = now
	}
	if _, already := e.firing[key]; already || now.Sub(since) < r.For {
		return Alert{}, false
	}
	a := Alert{Rule: r.Name, DeviceID: s.DeviceID, Value: s.Value, Since: since}
	e.firing[key] = a
	return a, true
}

// notifyAll sends alerts concurrently and returns the errors reported
// within five seconds.
func (e *Engine) notifyAll(ctx context.Context, alerts []Alert) []error {
	errc := make(chan error, len(alerts))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, a := range alerts {
		go func(a Alert) { errc <- e.notifier.Notify(ctx, a) }(a)
	}
	var errs []error
	timeout := time.NewTimer(5 * time.Second)
	defer timeout.Stop()
	for range alerts {
		select {
		case err := <-errc:
			if err != nil {
				errs = append(errs, err)
			}
		case <-timeout.C:
			return append(errs, errNotifyTimeout)
		}
	}
	return errs
}

// Run evaluates the latest telemetry of the given devices every interval
// until ctx is done.
func (e *Engine) Run(ctx context.Context, ring *telemetry.Ring, devices func() []string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			var latest []telemetry.Sample
			for _, id := range devices() {
				latest = append(latest, ring.Query(id, "", now.Add(-every))...)
			}
			for _, err := range e.notifyAll(ctx, e.Evaluate(latest, now)) {
				e.log.Printf("alerts: %v", err)
			}
		}
	}
}

// Webhook posts alerts as JSON to a URL.
type Webhook struct {
	URL    string
	Client *http.Client
}

// Notify implements Notifier.
func (w *Webhook) Notify(ctx context.Context, a Alert) error {
	body, err := json.Marshal(a)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := w.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("alerts: webhook %s: %s", w.URL, resp.Status)
	}
	return nil
}

// DeliverWithRetry notifies one alert, retrying transient webhook errors.
func (e *Engine) DeliverWithRetry(ctx context.Context, a Alert, attempts int) error {
	var err error
	notify := e.notifier.Notify
	defer func() {
		if err != nil {
			e.log.Printf("alerts: giving up on %s/%s: %v", a.Rule, a.DeviceID, err)
		}
	}()
	for i := 0; i < attempts; i++ {
		if err = notify(ctx, a); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(i+1) * time.Second):
		}
	}
	return err
}

// NotifyTracked notifies every alert that is not silenced and waits for
// all notifications to finish.
func (e *Engine) NotifyTracked(ctx context.Context, alerts []Alert) {
	var wg sync.WaitGroup
	for _, a := range alerts {
		wg.Add(1)
		go func(a Alert) {
			if e.isSilenced(a.Rule, time.Now()) {
				return
			}
			if err := e.notifier.Notify(ctx, a); err != nil {
				e.log.Printf("alerts: notify %s/%s: %v", a.Rule, a.DeviceID, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(a)
	}
	wg.Wait()
}

func (e *Engine) isSilenced(rule string, now time.Time) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	until, ok := e.silenced[rule]
	return ok && now.Before(until)
}

// notifyQuietly delivers an alert on a best-effort path (the alert is
// also visible on the dashboard), so a broken notifier is ignored.
func (e *Engine) notifyQuietly(ctx context.Context, a Alert) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	if err := e.notifier.Notify(ctx, a); err != nil {
		e.log.Printf("alerts: %v", err)
	}
}

// NotifyBestEffort notifies every alert in turn without waiting on errors.
func (e *Engine) NotifyBestEffort(ctx context.Context, alerts []Alert) {
	for _, a := range alerts {
		e.notifyQuietly(ctx, a)
	}
}

// LoadRules reads rules from a JSON file and adds them.
func (e *Engine) LoadRules(path string) (int, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	var rules []Rule
	if err := json.NewDecoder(f).Decode(&rules); err != nil {
		return 0, fmt.Errorf("alerts: %s: %w", path, err)
	}
	for _, r := range rules {
		e.AddRule(r)
	}
	return len(rules), nil
}

// Summary counts rules and firing alerts.
type Summary struct {
	Rules  int
	Firing int
}

// Summary returns the engine's current counts.
func (e *Engine) Summary() Summary {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return Summary{Rules: len(e.rules), Firing: len(e.firing)}
}

// Log writes the counts to logger.
func (s Summary) Log(logger *log.Logger) {
	logger.Printf("alerts: %d rules, %d firing", s.Rules, s.Firing)
}

// EvaluateOnce runs one evaluation round and logs how many alerts are
// firing afterwards.
func (e *Engine) EvaluateOnce(ctx context.Context, samples []telemetry.Sample) []error {
	defer e.Summary().Log(e.log) // HAZ defer-call-chain
	return e.notifyAll(ctx, e.Evaluate(samples, time.Now()))
}

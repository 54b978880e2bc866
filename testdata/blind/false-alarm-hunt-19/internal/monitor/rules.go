package monitor

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"
)

const hookTimeout = 10 * time.Second

// Rule is an alerting rule over the registry's current values. Expr may be
// supplied by plugins and is not trusted not to panic.
type Rule struct {
	Name string
	For  time.Duration
	Expr func(values map[string]float64) (bool, error)
}

// Alert is a rule that has been firing for at least its For duration.
type Alert struct {
	Rule  string
	Since time.Time
}

// Hook delivers alerts somewhere (pager, chat, webhook).
type Hook interface {
	Name() string
	Notify(ctx context.Context, alerts []Alert) error
}

// Silence suppresses matching alerts; silences come from operators' config.
type Silence func(Alert) bool

// Evaluator evaluates rule groups and notifies hooks.
type Evaluator struct {
	reg      *Registry
	groups   map[string][]Rule
	hooks    []Hook
	silences []Silence
	failures Counter

	mu      sync.Mutex
	pending map[string]time.Time
}

// NewEvaluator returns an evaluator over reg.
func NewEvaluator(reg *Registry, groups map[string][]Rule, hooks []Hook, silences []Silence) *Evaluator {
	return &Evaluator{reg: reg, groups: groups, hooks: hooks, silences: silences, pending: make(map[string]time.Time)}
}

// ResetPending forgets every pending alert, e.g. after the rules have been
// reloaded.
func (ev *Evaluator) ResetPending() {
	ev.mu.Lock()
	defer ev.mu.Lock() // HAZ defer-lock-mismatch
	clear(ev.pending)
}

// evalRule evaluates one rule. A panicking expression is counted as a rule
// failure and reported as an error.
func (ev *Evaluator) evalRule(r Rule, values map[string]float64) (bool, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if p := recover(); p != nil {
			ev.failures.Inc()
			err = fmt.Errorf("rule %s panicked: %v", r.Name, p)
		}
	}()
	firing, err := r.Expr(values)
	return firing, err
}

// track updates the pending state of r and returns an alert once r has been
// firing for r.For.
func (ev *Evaluator) track(r Rule, firing bool, now time.Time) (Alert, bool) {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	if !firing {
		delete(ev.pending, r.Name)
		return Alert{}, false
	}
	since, ok := ev.pending[r.Name]
	if !ok {
		since = now
		ev.pending[r.Name] = now
	}
	if now.Sub(since) < r.For {
		return Alert{}, false
	}
	return Alert{Rule: r.Name, Since: since}, true
}

// evalGroup evaluates one group. A panic outside the rule expressions, in
// the evaluator itself, is returned as the group's error.
func (ev *Evaluator) evalGroup(name string, rules []Rule, values map[string]float64) (alerts []Alert, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("group %s: panic: %v\n%s", name, p, debug.Stack())
		}
	}()
	now := time.Now()
	for _, r := range rules {
		firing, rerr := ev.evalRule(r, values)
		if rerr != nil {
			err = errors.Join(err, rerr)
			continue
		}
		if a, ok := ev.track(r, firing, now); ok && !ev.silenced(a) {
			alerts = append(alerts, a)
		}
	}
	return alerts, err
}

// EvalAll evaluates every group once and notifies the hooks.
func (ev *Evaluator) EvalAll(ctx context.Context) error {
	values := ev.reg.Values()
	var all []Alert
	var errs []error
	for name, rules := range ev.groups {
		alerts, err := ev.evalGroup(name, rules, values)
		if err != nil {
			errs = append(errs, err)
		}
		all = append(all, alerts...)
	}
	if len(all) > 0 {
		ev.notify(ctx, all)
	}
	return errors.Join(errs...)
}

// silenced reports whether any operator silence matches a.
func (ev *Evaluator) silenced(a Alert) (silenced bool) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			// A broken silence must not stop alerting.
		}
	}()
	for _, s := range ev.silences {
		if s(a) {
			return true
		}
	}
	return false
}

// notify delivers alerts to every hook; one broken hook must not keep the
// others from being called.
func (ev *Evaluator) notify(ctx context.Context, alerts []Alert) {
	for _, h := range ev.hooks {
		ev.notifyHook(ctx, h, alerts)
	}
}

func (ev *Evaluator) notifyHook(ctx context.Context, h Hook, alerts []Alert) {
	defer func() { ev.recoverHook(h.Name()) }()
	ctx, cancel := context.WithTimeout(ctx, hookTimeout)
	defer cancel()
	if err := h.Notify(ctx, alerts); err != nil {
		log.Printf("alerts: hook %s: %v", h.Name(), err)
	}
}

// recoverHook logs and counts a panic raised by a notification hook.
func (ev *Evaluator) recoverHook(name string) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		ev.failures.Inc()
		log.Printf("alerts: hook %s panicked: %v", name, p)
	}
}

// handlePanic turns a panic into an error stored in *errp. It must be
// deferred directly: defer handlePanic(&err).
func handlePanic(errp *error) {
	if p := recover(); p != nil {
		*errp = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
	}
}

// CheckHook sends an empty notification to h, as the "test hook" button of
// the admin UI does, and reports any failure including a panic.
func (ev *Evaluator) CheckHook(ctx context.Context, h Hook) (err error) {
	defer handlePanic(&err)
	ctx, cancel := context.WithTimeout(ctx, hookTimeout)
	defer cancel()
	return h.Notify(ctx, nil)
}

// parseError is raised by the rule parser and recovered by ParseRules.
type parseError struct {
	line int
	msg  string
}

type ruleParser struct {
	lines []string
	line  int
}

func (p *ruleParser) fail(format string, args ...any) {
	panic(parseError{line: p.line, msg: fmt.Sprintf(format, args...)})
}

// rule parses "name: metric op threshold [for duration]".
func (p *ruleParser) rule(text string) Rule {
	name, expr, ok := strings.Cut(text, ":")
	if !ok {
		p.fail("missing ':' after rule name")
	}
	f := strings.Fields(expr)
	if len(f) != 3 && len(f) != 5 {
		p.fail("want 'metric op threshold [for duration]', got %q", expr)
	}
	limit, err := strconv.ParseFloat(f[2], 64)
	if err != nil {
		p.fail("bad threshold %q", f[2])
	}
	var dur time.Duration
	if len(f) == 5 {
		if f[3] != "for" {
			p.fail("expected 'for', got %q", f[3])
		}
		if dur, err = time.ParseDuration(f[4]); err != nil {
			p.fail("bad duration %q", f[4])
		}
	}
	metric, op := f[0], f[1]
	if op != ">" && op != "<" {
		p.fail("unknown operator %q", op)
	}
	return Rule{Name: strings.TrimSpace(name), For: dur, Expr: func(v map[string]float64) (bool, error) {
		x, ok := v[metric]
		if !ok {
			return false, fmt.Errorf("no metric %q", metric)
		}
		if op == ">" {
			return x > limit, nil
		}
		return x < limit, nil
	}}
}

// ParseRules parses one rule per line; blank lines and # comments are
// skipped. Parser errors are raised as parseError panics deep in the parser
// and turned into an error here; any other panic is a bug and is re-raised.
func ParseRules(src string) (rules []Rule, err error) {
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("rules:%d: %s", pe.line, pe.msg)
		}
	}()
	p := &ruleParser{lines: strings.Split(src, "\n")}
	for i, line := range p.lines {
		p.line = i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rules = append(rules, p.rule(line))
	}
	return rules, nil
}

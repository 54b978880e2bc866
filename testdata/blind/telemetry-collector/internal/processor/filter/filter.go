// Package filter drops records whose attributes match configured patterns
// and redacts sensitive attributes from the rest.
package filter

import (
	"context"
	"fmt"
	"log"
	"regexp"
	"sort"
	"sync"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/pdata"
)

// Rule drops records whose attribute Attr matches Pattern.
type Rule struct {
	Name    string
	Attr    string
	Pattern string
	re      *regexp.Regexp
}

// Processor is the attribute filter.
type Processor struct {
	rules  []Rule
	redact map[string]bool
	next   component.Consumer
	logger *log.Logger

	mu      sync.Mutex
	dropped map[string]int64
}

// New compiles the rules.
func New(rules []Rule, redact []string, next component.Consumer, logger *log.Logger) (*Processor, error) {
	p := &Processor{
		redact:  make(map[string]bool, len(redact)),
		next:    next,
		logger:  logger,
		dropped: make(map[string]int64),
	}
	for _, r := range rules {
		compiled, err := p.compileRule(r)
		if err != nil {
			return nil, err
		}
		p.rules = append(p.rules, compiled)
	}
	for _, k := range redact {
		p.redact[k] = true
	}
	return p, nil
}

// compileRule compiles one rule. Patterns come from users, so a pattern
// that trips the regexp engine must not take the collector down.
func (p *Processor) compileRule(r Rule) (Rule, error) {
	defer p.reportPanic("compile "+r.Name, recover()) // HAZ recover-ineffective
	re, err := regexp.Compile(r.Pattern)
	if err != nil {
		return Rule{}, fmt.Errorf("filter: rule %s: %w", r.Name, err)
	}
	r.re = re
	return r, nil
}

func (p *Processor) reportPanic(stage string, v any) {
	if v != nil {
		p.logger.Printf("filter: panic during %s: %v", stage, v)
	}
}

// Start implements component.Component.
func (p *Processor) Start(context.Context, component.Host) error { return nil }

// Shutdown implements component.Component.
func (p *Processor) Shutdown(context.Context) error { return nil }

// Consume filters b and forwards what is left.
func (p *Processor) Consume(ctx context.Context, b pdata.Batch) error {
	kept := b.Records[:0:0]
	drops := make(map[string]int)
	for _, r := range b.Records {
		if rule, drop := p.match(r); drop {
			drops[rule]++
			continue
		}
		kept = append(kept, p.redacted(r))
	}
	if len(drops) > 0 {
		p.countDropped(drops)
	}
	if len(kept) == 0 {
		return nil
	}
	return p.next.Consume(ctx, pdata.Batch{Source: b.Source, Records: kept})
}

func (p *Processor) match(r pdata.Record) (string, bool) {
	for _, rule := range p.rules {
		if v, ok := r.Attrs[rule.Attr]; ok && rule.re.MatchString(v) {
			return rule.Name, true
		}
	}
	return "", false
}

func (p *Processor) redacted(r pdata.Record) pdata.Record {
	if len(p.redact) == 0 || len(r.Attrs) == 0 {
		return r
	}
	attrs := make(map[string]string, len(r.Attrs))
	for k, v := range r.Attrs {
		if p.redact[k] {
			v = "[REDACTED]"
		}
		attrs[k] = v
	}
	r.Attrs = attrs
	return r
}

// countDropped adds per-rule drop counts.
func (p *Processor) countDropped(drops map[string]int) {
	for rule, n := range drops {
		p.mu.Lock()
		defer p.mu.Unlock() // HAZ defer-in-loop
		p.dropped[rule] += int64(n)
	}
}

// Dropped returns per-rule drop counts sorted by rule name.
func (p *Processor) Dropped() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.dropped))
	for rule, n := range p.dropped {
		out = append(out, fmt.Sprintf("%s=%d", rule, n))
	}
	sort.Strings(out)
	return out
}

// ResetCounts clears the drop counters, one rule at a time so that the
// debug page can show which rules were reset.
func (p *Processor) ResetCounts() []string {
	var reset []string
	for _, rule := range p.rules {
		func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.dropped[rule.Name] > 0 {
				reset = append(reset, rule.Name)
			}
			delete(p.dropped, rule.Name)
		}()
	}
	return reset
}

// SetRules replaces the rules on reload; drop counts of removed rules are
// logged first.
func (p *Processor) SetRules(rules []Rule) error {
	compiled := make([]Rule, 0, len(rules))
	for _, r := range rules {
		c, err := p.compileRule(r)
		if err != nil {
			return err
		}
		compiled = append(compiled, c)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.logger.Printf("filter: replacing %d rules; drops so far: %v", len(p.rules), p.Dropped()) // HAZ lock-reentry-under-defer
	p.rules = compiled
	return nil
}

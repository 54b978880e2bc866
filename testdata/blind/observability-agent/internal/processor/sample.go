package processor

import (
	"fmt"
	"hash/fnv"
	"log"
	"sync"

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/telemetry"
)

// Rule is a user-supplied keep predicate, loaded from config plugins.
type Rule interface {
	Name() string
	Match(rec pdata.Record) bool
}

// Sampler keeps a deterministic fraction of traces per service, plus
// everything matched by an always-keep rule.
type Sampler struct {
	mu          sync.RWMutex
	rates       map[string]float64
	defaultRate float64
	rules       []Rule

	kept       *telemetry.Counter
	dropped    *telemetry.Counter
	ruleErrors *telemetry.Counter
}

// NewSampler returns a sampler keeping defaultRate of everything.
func NewSampler(defaultRate float64, reg *telemetry.Registry) *Sampler {
	return &Sampler{
		rates:       make(map[string]float64),
		defaultRate: defaultRate,
		kept:        reg.Counter("sampler_kept"),
		dropped:     reg.Counter("sampler_dropped"),
		ruleErrors:  reg.Counter("sampler_rule_panics"),
	}
}

// Rate returns the sampling rate for svc.
func (s *Sampler) Rate(svc string) float64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if r, ok := s.rates[svc]; ok {
		return r
	}
	return s.defaultRate
}

// SetRate changes the rate for svc.
func (s *Sampler) SetRate(svc string, rate float64) error {
	if rate < 0 || rate > 1 {
		return fmt.Errorf("sampler: rate %v out of [0,1]", rate)
	}
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	s.rates[svc] = rate
	return nil
}

// SetRates replaces all per-service rates.
func (s *Sampler) SetRates(rates map[string]float64) {
	cp := make(map[string]float64, len(rates))
	for k, v := range rates {
		cp[k] = v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rates = cp
}

// AddRule registers an always-keep rule.
func (s *Sampler) AddRule(r Rule) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, r)
}

// hashFraction maps a trace id to [0,1).
func hashFraction(id string) float64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return float64(h.Sum64()>>11) / (1 << 53)
}

// evalRule runs a plugin rule; a panicking rule counts as "no match".
func (s *Sampler) evalRule(r Rule, rec pdata.Record) (keep bool) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	return r.Match(rec)
}

// safeMatch runs a plugin rule; a panicking rule keeps the record and is
// counted and logged.
func (s *Sampler) safeMatch(r Rule, rec pdata.Record) (keep bool) {
	defer func() {
		if p := recover(); p != nil {
			s.ruleErrors.Inc()
			log.Printf("sampler: rule %s panicked: %v", r.Name(), p)
			keep = true
		}
	}()
	return r.Match(rec)
}

// Keep decides whether rec survives sampling.
func (s *Sampler) Keep(rec pdata.Record) bool {
	s.mu.RLock()
	rules := s.rules
	s.mu.RUnlock()
	for _, r := range rules {
		if s.safeMatch(r, rec) {
			s.kept.Inc()
			return true
		}
	}
	id := rec.TraceID
	if id == "" {
		id = rec.Name + "/" + rec.Service
	}
	if hashFraction(id) < s.Rate(rec.Service) { // ok: Rate locks, but no lock is held here
		s.kept.Inc()
		return true
	}
	s.dropped.Inc()
	return false
}

// KeepLenient is Keep for the debug pipeline, where broken rules are ignored.
func (s *Sampler) KeepLenient(rec pdata.Record) bool {
	s.mu.RLock()
	rules := s.rules
	s.mu.RUnlock()
	for _, r := range rules {
		if s.evalRule(r, rec) {
			return true
		}
	}
	return hashFraction(rec.TraceID) < s.Rate(rec.Service)
}

// Filter keeps the records of b that survive sampling.
func (s *Sampler) Filter(b pdata.Batch) pdata.Batch {
	out := b.Records[:0:0]
	for _, rec := range b.Records {
		if s.Keep(rec) {
			out = append(out, rec)
		}
	}
	b.Records = out
	return b
}

// Package sampling keeps a fraction of records. Records that carry a trace
// id are sampled consistently by hashing the id, so that all spans of a
// trace are kept or dropped together; other records use a shared RNG.
package sampling

import (
	"context"
	"fmt"
	"hash/fnv"
	"log"
	"math/rand"
	"sync"
	"sync/atomic"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/pdata"
)

// Policy can force a decision for a record; ok=false means no opinion.
type Policy func(r pdata.Record) (keep, ok bool)

// Sampler is the probabilistic sampling processor.
type Sampler struct {
	next   component.Consumer
	logger *log.Logger

	mu       sync.RWMutex
	rate     float64
	rng      *rand.Rand
	policies []Policy

	kept, dropped atomic.Int64
}

// New returns a sampler keeping rate (0..1) of the records.
func New(rate float64, seed int64, next component.Consumer, logger *log.Logger) (*Sampler, error) {
	if rate < 0 || rate > 1 {
		return nil, fmt.Errorf("sampling: rate %v out of [0,1]", rate)
	}
	return &Sampler{
		next:   next,
		logger: logger,
		rate:   rate,
		rng:    rand.New(rand.NewSource(seed)),
	}, nil
}

// Rate returns the sampling rate in force.
func (s *Sampler) Rate() float64 {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	return s.rate
}

// SetRate changes the rate; called on config reload.
func (s *Sampler) SetRate(rate float64) error {
	if rate < 0 || rate > 1 {
		return fmt.Errorf("sampling: rate %v out of [0,1]", rate)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rate = rate
	return nil
}

// AddPolicy registers a policy evaluated before the probabilistic decision.
func (s *Sampler) AddPolicy(p Policy) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.policies = append(s.policies, p)
}

// Reseed replaces the RNG, e.g. to make a test deterministic.
func (s *Sampler) Reseed(seed int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rng = rand.New(rand.NewSource(seed))
}

// Start implements component.Component.
func (s *Sampler) Start(context.Context, component.Host) error { return nil }

// Shutdown implements component.Component.
func (s *Sampler) Shutdown(context.Context) error {
	s.logger.Printf("sampling: kept %d, dropped %d", s.kept.Load(), s.dropped.Load())
	return nil
}

// Consume forwards the sampled records.
func (s *Sampler) Consume(ctx context.Context, b pdata.Batch) error {
	defer obs.Track("sampling.consume") // HAZ defer-func-result-not-called
	kept := make([]pdata.Record, 0, len(b.Records))
	for _, r := range b.Records {
		if s.keep(r) {
			kept = append(kept, r)
		}
	}
	s.kept.Add(int64(len(kept)))
	s.dropped.Add(int64(len(b.Records) - len(kept)))
	if len(kept) == 0 {
		return nil
	}
	return s.next.Consume(ctx, pdata.Batch{Source: b.Source, Records: kept})
}

func (s *Sampler) keep(r pdata.Record) bool {
	if keep, ok := s.evalPolicies(r); ok {
		return keep
	}
	if r.TraceID != "" {
		return keepTrace(r.TraceID, s.currentRate())
	}
	return s.roll()
}

// evalPolicies runs user policies; the first one with an opinion wins.
func (s *Sampler) evalPolicies(r pdata.Record) (keep, ok bool) {
	s.mu.RLock()
	policies := s.policies
	s.mu.RUnlock()
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			// a broken policy has no opinion; fall through to the rate
		}
	}()
	for _, pol := range policies {
		if keep, ok = pol(r); ok {
			return keep, ok
		}
	}
	return false, false
}

// currentRate reads the rate under the read lock.
func (s *Sampler) currentRate() float64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rate
}

// roll draws from the shared RNG; rand.Rand is not safe for concurrent
// use, hence the write lock.
func (s *Sampler) roll() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rng.Float64() < s.rate
}

// keepTrace maps the trace id to [0,1) and keeps it below rate.
func keepTrace(traceID string, rate float64) bool {
	h := fnv.New64a()
	_, _ = h.Write([]byte(traceID))
	return float64(h.Sum64()>>11)/float64(1<<53) < rate
}

package agent

import (
	"sort"
	"sync"
)

// Progress is the board of what each target is currently doing. Stage
// updates it; Publish pushes the whole board to the sink (the status log).
type Progress struct {
	mu     sync.Mutex
	stages map[string]string
	sink   func(target, stage string)
}

// NewProgress returns an empty board publishing to sink.
func NewProgress(sink func(target, stage string)) *Progress {
	return &Progress{stages: make(map[string]string), sink: sink}
}

// Stage records target's current stage and returns p for chaining.
func (p *Progress) Stage(target, stage string) *Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stages[target] = stage
	return p
}

// Get returns target's current stage.
func (p *Progress) Get(target string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stages[target]
}

// Publish sends every target's stage to the sink, in target order.
func (p *Progress) Publish() {
	p.mu.Lock()
	targets := make([]string, 0, len(p.stages))
	for t := range p.stages {
		targets = append(targets, t)
	}
	snapshot := make(map[string]string, len(p.stages))
	for t, s := range p.stages {
		snapshot[t] = s
	}
	p.mu.Unlock()
	sort.Strings(targets)
	for _, t := range targets {
		p.sink(t, snapshot[t])
	}
}

// Reset clears the board and publishes the empty state.
func (p *Progress) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.stages)
	p.Publish() // HAZ lock-reentry-under-defer
}

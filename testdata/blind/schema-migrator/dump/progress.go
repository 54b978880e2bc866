package dump

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"time"
)

// Progress reports the start and end of dump and restore steps.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	running map[string]time.Time
}

// NewProgress reports to w.
func NewProgress(w io.Writer) *Progress {
	return &Progress{w: w, running: make(map[string]time.Time)}
}

// Start reports that name started and returns the function that reports its
// end: defer p.Start("x")().
func (p *Progress) Start(name string) func() {
	p.mu.Lock()
	p.running[name] = time.Now()
	fmt.Fprintf(p.w, "start %s\n", name)
	p.mu.Unlock()
	return func() { p.finish(name) }
}

func (p *Progress) finish(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	start, ok := p.running[name]
	if !ok {
		return
	}
	delete(p.running, name)
	fmt.Fprintf(p.w, "done  %s (%s)\n", name, time.Since(start).Round(time.Millisecond))
}

// Running returns the steps that started and did not finish yet.
func (p *Progress) Running() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.running))
	for name := range p.running {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Reset forgets every running step, e.g. after a cancelled run.
func (p *Progress) Reset() {
	p.mu.Lock()
	defer p.mu.Lock() // HAZ defer-lock-mismatch
	p.running = make(map[string]time.Time)
}

// Abort reports a step that will not finish.
func (p *Progress) Abort(name string, err error) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := p.running[name]; !ok {
		return
	}
	delete(p.running, name)
	fmt.Fprintf(p.w, "FAIL  %s: %v\n", name, err)
	p.mu.Unlock()
}

package eager

import (
	"sync"
	"time"
)

type listMetrics struct {
	mu       sync.Mutex
	listed   map[string]time.Time
	started  map[string]time.Time
	duration map[string]time.Duration
}

// MarkListed records when a listing of prefix completed.
func (m *listMetrics) MarkListed(prefix string, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.listed[prefix] = at
}

// MarkStarted records when a listing began.
func (m *listMetrics) MarkStarted(prefix string, at time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.started[prefix] = at
}

// Timed records how long an operation took since t.
func (m *listMetrics) Timed(op string, t time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.duration[op] += time.Since(t)
}

// A completion mark given the start time: the listing is recorded as done when it began.
func listAll(m *listMetrics, prefix string, pages func() bool) int {
	defer m.MarkListed(prefix, time.Now()) // want `time\.Now\(\) in defer m\.MarkListed\(prefix, time\.Now\(\)\) is evaluated at the defer statement`
	n := 0
	for pages() {
		n++
	}
	return n
}

// A start mark and a measurement from the start: the defer's time is the start, as meant.
func listTimed(m *listMetrics, prefix string, pages func() bool) int {
	m.MarkStarted(prefix, time.Now())
	defer m.Timed("list", time.Now())
	n := 0
	for pages() {
		n++
	}
	return n
}

// observeWindow records the length of the window [from, to].
func (m *listMetrics) observeWindow(op string, from, to time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.duration[op] += to.Sub(from)
}

// The window's far end is taken at the defer statement: it always has length zero.
func listWindowed(m *listMetrics, prefix string, pages func() bool) int {
	start := time.Now()
	defer m.observeWindow("list "+prefix, start, time.Now()) // want `time\.Now\(\) in defer m\.observeWindow\("list "\+prefix, start, time\.Now\(\)\) is evaluated at the defer statement`
	n := 0
	for pages() {
		n++
	}
	return n
}

type jobPool struct {
	lastRun  sync.Map
	firstRun sync.Map
}

// finished only stores the time it is given, under the job's name: deferred with time.Now(),
// it records when the job started.
func (p *jobPool) finished(name string, at time.Time) {
	p.lastRun.Store(name, at)
}

func (p *jobPool) runNow(name string, job func() error) error {
	defer p.finished(name, time.Now()) // want `time\.Now\(\) in defer p\.finished\(name, time\.Now\(\)\) is evaluated at the defer statement`
	return job()
}

// A time stored as the key, not the value, is no record of when something happened.
func (p *jobPool) seen(at time.Time, name string) {
	p.firstRun.Store(at, name)
}

func (p *jobPool) runSeen(name string, job func() error) error {
	defer p.seen(time.Now(), name)
	return job()
}

// The same through a method expression: the receiver comes first.
func (p *jobPool) runNowExpr(name string, job func() error) error {
	defer (*jobPool).finished(p, name, time.Now()) // want `time\.Now\(\) in defer \(\*jobPool\)\.finished\(p, name, time\.Now\(\)\) is evaluated at the defer statement`
	return job()
}

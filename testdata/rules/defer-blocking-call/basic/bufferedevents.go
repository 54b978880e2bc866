package fixture

import "sync"

type groupEvent struct {
	member string
	gen    int
}

type group struct {
	mu     sync.Mutex
	events chan groupEvent
	gen    int
}

func newGroup() *group { return &group{events: make(chan groupEvent, 64)} }

// publish drops the event when nobody keeps up: the package knows the buffer can fill.
func (g *group) publish(ev groupEvent) {
	select {
	case g.events <- ev:
	default:
	}
}

// The deferred send has no such way out: with the buffer full it waits for a reader.
func (g *group) sync(member string) int {
	defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → g\.events <- groupEvent\{member: member, gen: g\.gen\} \(line \d+\) blocks until a receiver takes the value \(elsewhere the package sends on it in a select with a way out\)`
		g.events <- groupEvent{member: member, gen: g.gen}
	}()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.gen++
	return g.gen
}

type bufferPool struct{ free chan []byte }

func newBufferPool(n int) *bufferPool {
	p := &bufferPool{free: make(chan []byte, n)}
	for i := 0; i < n; i++ {
		p.free <- make([]byte, 4096)
	}
	return p
}

// A buffered channel the package never sends on with a way out: a give-back, not reported.
func (p *bufferPool) use(f func([]byte)) {
	b := <-p.free
	defer func() { p.free <- b }()
	f(b)
}

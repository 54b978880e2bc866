package nilfunc

import "sync"

// handoff steps down; afterHandover, if registered, runs once it is done.
type handoff struct {
	term          uint64
	afterHandover func()
}

func newHandoff() *handoff { return &handoff{} }

// OnHandover registers the function run after a handover.
func (h *handoff) OnHandover(fn func()) { h.afterHandover = fn }

// Until OnHandover is called the hook is nil, and the deferred call panics.
func (h *handoff) stepDown() {
	defer h.afterHandover() // want `handoff\.afterHandover is set only by handoff\.OnHandover \(line \d+\), so it is nil until someone calls that`
	h.term++
}

// drainer gets a no-op default where it is built, so the hook is never nil.
type drainer struct {
	pending int
	onDrain func()
}

func newDrainer() *drainer { return &drainer{onDrain: func() {}} }

// OnDrain replaces the default hook.
func (d *drainer) OnDrain(fn func()) { d.onDrain = fn }

func (d *drainer) drain() {
	defer d.onDrain()
	d.pending = 0
}

// credCache runs its exit callback on Close, if one was set.
type credCache struct {
	entries map[string]string
	onExit  func()
}

func newCredCache() *credCache { return &credCache{entries: map[string]string{}} }

// SetOnExit registers the exit callback.
func (c *credCache) SetOnExit(fn func()) { c.onExit = fn }

func (c *credCache) Close() error {
	defer c.onExit() // want `credCache\.onExit is set only by credCache\.SetOnExit`
	c.entries = map[string]string{}
	return nil
}

// The hook registration holds the struct's lock around its one store.
type stopper struct {
	mu     sync.Mutex
	onStop func()
	n      int
}

func (s *stopper) OnStop(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onStop = fn
}

func (s *stopper) Shutdown() int {
	defer s.onStop() // want `stopper.onStop is set only by stopper.OnStop`
	return s.n
}

// The same registration, with a no-op given where the struct is built.
type closer struct {
	mu      sync.Mutex
	onClose func()
}

func newCloser() *closer { return &closer{onClose: func() {}} }

func (c *closer) OnClose(fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.onClose = fn
}

func (c *closer) Close() {
	defer c.onClose()
}

// A callback run after each start, installed by an optional setter.
type coldStarter struct {
	started    int
	afterStart func(fn string)
}

func (c *coldStarter) SetAfterStart(f func(fn string)) { c.afterStart = f }

func (c *coldStarter) startHooked(fn string) int {
	defer c.afterStart(fn) // want `coldStarter\.afterStart is set only by coldStarter\.SetAfterStart`
	c.started++
	return c.started
}

// A setter of a field not named as a callback: the package's own set-up fills it in.
type encoder struct {
	flush func()
}

func (e *encoder) SetFlush(f func()) { e.flush = f }

func (e *encoder) encode(b []byte) int {
	defer e.flush()
	return len(b)
}

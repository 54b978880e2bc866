package nilfunc

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

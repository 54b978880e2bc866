package nilfunc

func noopHook() {}

// job's onDone is never set; task's field of the same name always is.
type job struct {
	name   string
	onDone func()
}

type task struct {
	name   string
	onDone func()
}

func newTask(name string, onDone func()) *task {
	if onDone == nil {
		onDone = noopHook
	}
	return &task{name: name, onDone: onDone}
}

func runJob(j *job, work func() error) error {
	defer j.onDone() // want `field onDone of job is never set in package nilfunc`
	return work()
}

// ---- not flagged ----

func (t *task) run(work func() error) error {
	defer t.onDone()
	return work()
}

// A field set through an embedding struct is set on the embedded type.
type hooks struct {
	onStop func()
}

type service struct {
	hooks
	name string
}

func newService(name string) *service {
	s := &service{name: name}
	s.onStop = noopHook
	return s
}

func (s *service) stop() {
	defer s.onStop()
}

type evictFunc func(key string, value int)

// onEvict may be nil: newCache stores whatever it is given.
type cache struct {
	items   map[string]int
	onEvict evictFunc
}

func newCache(onEvict evictFunc) *cache { return &cache{items: map[string]int{}, onEvict: onEvict} }

func (c *cache) clear() {
	for k, v := range c.items {
		delete(c.items, k)
		if c.onEvict != nil {
			c.onEvict(k, v)
		}
	}
}

// The package tests onEvict against nil in clear; remove does not.
func (c *cache) remove(key string) {
	v := c.items[key]
	delete(c.items, key)
	defer c.onEvict(key, v) // want `the package tests cache\.onEvict against nil \(line \d+\), so it can be nil, but cache\.remove defers c\.onEvict\(key, v\) without a check`
}

// Hooks is exported: importers may set OnClose, and the package knows it may be nil.
type Hooks struct {
	OnClose func()
}

func closeWith(h Hooks) {
	if cb := h.OnClose; cb != nil {
		cb()
	}
}

func shutdownWith(h Hooks) {
	defer h.OnClose() // want `the package tests Hooks\.OnClose against nil`
}

// ---- not flagged ----

// Guarded here.
func (c *cache) removeGuarded(key string) {
	v := c.items[key]
	delete(c.items, key)
	if c.onEvict != nil {
		defer c.onEvict(key, v)
	}
}

// A default is filled in when it is nil: it is never nil afterwards.
type walOptions struct {
	logf func(string, ...any)
}

type wal struct{ opts walOptions }

func openWAL(opts walOptions) *wal {
	if opts.logf == nil {
		opts.logf = func(string, ...any) {}
	}
	return &wal{opts: opts}
}

func (w *wal) compact(n int) {
	defer w.opts.logf("compacted %d segments", n)
}

// Under a condition that guarantees the hook.
func (c *cache) removeOwned(key string, owned bool) {
	v := c.items[key]
	delete(c.items, key)
	if owned {
		// onEvict is always set for owned caches.
		defer c.onEvict(key, v)
	}
}

type group struct {
	evalCancel func()
}

func (g *group) interrupt() {
	if g.evalCancel != nil {
		g.evalCancel()
	}
}

// Set right before the defer: not nil here.
func (g *group) start(cancel func()) {
	g.evalCancel = cancel
	defer g.evalCancel()
}

type plan struct {
	cancelFunc func()
	stopped    bool
}

func (p *plan) setCancel(cancel func()) {
	if p.stopped {
		cancel()
		return
	}
	p.cancelFunc = cancel
}

func (p *plan) stop() {
	p.stopped = true
	if p.cancelFunc != nil {
		p.cancelFunc()
	}
}

func (p *plan) queryOptions() int {
	p.setCancel(func() {})
	return 1
}

// Set by a function it calls first: not nil at the defer.
func (p *plan) watchKey() int {
	opts := p.queryOptions()
	defer p.cancelFunc()
	return opts
}

// A field only ever filled with a literal: its nil test is about the time before Prepare.
type streamWriter struct {
	done func()
}

func (sw *streamWriter) prepare() {
	sw.done = func() {}
}

func (sw *streamWriter) cancel() {
	if sw.done != nil {
		sw.done()
	}
}

func (sw *streamWriter) flush() {
	defer sw.done()
}

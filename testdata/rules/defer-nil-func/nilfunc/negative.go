package nilfunc

import (
	"context"
	"log"
	"os"
)

func assignedOnAllPaths(a bool) {
	var cleanup func()
	if a {
		cleanup = func() {}
	} else {
		cleanup = func() {}
	}
	defer cleanup()
}

func guarded(a bool) {
	var cleanup func()
	if a {
		cleanup = func() {}
	}
	if cleanup != nil {
		defer cleanup()
	}
}

func guardedAnd(a bool) {
	var cleanup func()
	if a {
		cleanup = func() {}
	}
	if a && cleanup != nil {
		defer cleanup()
	}
}

func earlyReturnWhenNil(a bool) {
	var cleanup func()
	if a {
		cleanup = func() {}
	}
	if cleanup == nil {
		return
	}
	defer cleanup()
}

func initialized() {
	cleanup := func() {}
	defer cleanup()
}

func fromCall() error {
	release, err := setup()
	if err != nil {
		return err
	}
	defer release()
	return nil
}

func contextCancel() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_ = ctx
}

func parameter(fn func()) {
	defer fn()
}

func mapWithOk(name string) {
	if fn, ok := handlers[name]; ok {
		defer fn()
	}
}

func mapGuardedNil(name string) {
	fn := handlers[name]
	if fn == nil {
		return
	}
	defer fn()
}

func mapIndexGuarded(name string) {
	if handlers[name] != nil {
		defer handlers[name]()
	}
}

func addressTaken() {
	var cleanup func()
	register(&cleanup)
	defer cleanup()
}

func register(p *func()) { *p = func() {} }

func setInClosure() {
	var cleanup func()
	do(func() { cleanup = func() {} })
	defer cleanup()
}

func do(f func()) { f() }

func sliceOfFuncs(fs []func()) {
	defer fs[0]()
}

type client struct {
	close func() error
}

func newClient() *client {
	return &client{close: func() error { return nil }}
}

func (c *client) finish() {
	defer c.close()
}

type positional struct {
	stop func()
}

var _ = positional{func() {}}

func (p positional) run() { defer p.stop() }

type assigned struct {
	stop func()
}

func (a *assigned) init2() { a.stop = func() {} }

func (a *assigned) run() { defer a.stop() }

// Exported fields can be set by importers.
type Options struct {
	OnExit func()
}

func (o *Options) Run() { defer o.OnExit() }

func loopAssigned(xs []string) {
	var last func()
	for range xs {
		last = func() {}
	}
	if len(xs) == 0 {
		return
	}
	defer last()
}

func methodValue(f *os.File) {
	closeFn := f.Close
	defer closeFn()
}

var beforeExit func()

// SetBeforeExit installs the hook that packageHookSet defers.
func SetBeforeExit(f func()) { beforeExit = f }

func packageHookSet() { defer beforeExit() }

var noop = func() {}

func packageHookWithValue() { defer noop() }

// The literal's variable is set before its defer; the outer one is not involved.
func literalAssigns() {
	go func() {
		done := func() {}
		defer done()
	}()
}

// log.Panic logs and panics: the branch that leaves done nil never reaches the defer.
func logPanicGuard(ok bool) {
	var done func()
	if ok {
		done = func() {}
	} else {
		log.Panic("not ok")
	}
	defer done()
}

type plugin struct {
	name    string
	cleanup func()
}

// The field is set by a positional literal in a constructor that never names it.
func newPlugin(name string) *plugin { return &plugin{name, func() {}} }

func usePlugin(name string) {
	p := newPlugin(name)
	defer p.cleanup()
}

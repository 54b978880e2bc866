package deferfunc

import (
	"context"
	"fmt"
	"time"
)

func trace(name string) func() {
	start := time.Now()
	fmt.Println("enter", name)
	return func() { fmt.Println("leave", name, time.Since(start)) }
}

type stopFunc func()

func startTimer(name string) stopFunc {
	return func() { fmt.Println(name) }
}

type tracer struct{}

func (tracer) Span(name string) func() { return func() { fmt.Println(name) } }

func setup() (func(), error) { return func() {}, nil }

func traced() {
	defer trace("traced") // want `defer trace\("traced"\) calls example.com/deferfuncresult.trace only when traced returns and drops the func it returns`
	fmt.Println("work")
}

func namedFuncType() {
	defer startTimer("x") // want `drops the example.com/deferfuncresult.stopFunc it returns`
}

func method(t tracer) {
	defer t.Span("m") // want `calls \(example.com/deferfuncresult.tracer\).Span only when method returns`
}

func methodOnPointer(t *tracer) {
	defer t.Span("p") // want `write defer t.Span\("p"\)\(\)`
}

func inLiteral() {
	f := func() {
		defer trace("lit") // want `only when the function literal on line 45 returns`
	}
	f()
}

func funcValueReturningFunc(mk func() func()) {
	defer mk() // want `defer mk\(\) calls mk only when funcValueReturningFunc returns`
}

func cancelDiscarded(ctx context.Context) {
	defer context.WithCancel(ctx) // want `discards its second result \(a context.CancelFunc\), so that function is never called and the context is never cancelled`
}

func timeoutDiscarded(ctx context.Context) {
	defer context.WithTimeout(ctx, time.Second) // want `discards its second result \(a context.CancelFunc\)`
}

func pairDiscarded() {
	defer setup() // want `discards its first result \(a func\)`
}

var dial = func() {}

func literalReturningFunc() {
	defer func() func() { // want `the deferred function literal runs only when literalReturningFunc returns and the func it returns is dropped`
		saved := dial
		dial = func() {}
		return func() { dial = saved }
	}()
}

// A generic helper instantiated with a func type returns a func: dropped by the defer.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func startTrace(name string) (func(), error) {
	return func() { fmt.Println("end", name) }, nil
}

func tracedGeneric() {
	defer must(startTrace("op")) // want `defer must\(startTrace\("op"\)\) calls .*must only when tracedGeneric returns and drops the func it returns`
}

type metrics struct{}

// Observe starts a measurement and returns its finisher, which takes the outcome.
func (metrics) Observe(op string) func(err error) { return func(err error) {} }

func flushAll(m metrics, lines []string) {
	defer m.Observe("flush") // want `defer m\.Observe\("flush"\) calls .*Observe only when flushAll returns and drops the func it returns, so that finisher never runs`
	_ = lines
}

package rec

import (
	"fmt"
	"log"
)

func deferRecover() {
	defer recover() // want `defer recover\(\) never stops a panic`
	panic("boom")
}

func logPanic(v any) {
	if v != nil {
		log.Println("panic:", v)
	}
}

func deferArg() {
	defer logPanic(recover()) // want `recover\(\) in the arguments of logPanic\(recover\(\)\) is evaluated when the defer statement runs`
	panic("boom")
}

func nestedLiteral() {
	defer func() {
		func() {
			if r := recover(); r != nil { // want `recover\(\) in the function literal on line 26 returns nil: the literal is called inside the function literal on line 25, which is deferred`
				log.Println(r)
			}
		}()
	}()
	panic("boom")
}

// handlePanic is only ever called from deferred closures.
func handlePanic() {
	if r := recover(); r != nil { // want `recover\(\) in handlePanic returns nil: handlePanic is only called from deferred closures \(line 44, 50\)`
		log.Println("recovered:", r)
	}
}

func callsHelper() {
	defer func() {
		handlePanic()
	}()
	panic("boom")
}

func callsHelperAgain() {
	defer func() { handlePanic() }()
	panic("boom")
}

// neverDeferred calls recover but nothing defers it.
func neverDeferred() error {
	if r := recover(); r != nil { // want `recover\(\) in neverDeferred returns nil: neverDeferred is never deferred in this package`
		return fmt.Errorf("panic: %v", r)
	}
	return nil
}

func useNeverDeferred() error {
	return neverDeferred()
}

// Exported, deferred in no package of the module; one outside may: the confidence is lower.
func Guard() {
	if r := recover(); r != nil { // want `recover\(\) in Guard returns nil: Guard is never deferred in this package`
		log.Println(r)
	}
}

func inGoroutine() {
	go func() {
		if r := recover(); r != nil { // want `the literal runs as a goroutine`
			log.Println(r)
		}
	}()
}

func calledInPlace() {
	func() {
		_ = recover() // want `recover\(\) in the function literal on line 82 returns nil: the literal is called in place, not deferred`
	}()
}

type worker struct{}

func (w *worker) rescue() {
	if r := recover(); r != nil { // want `recover\(\) in worker\.rescue returns nil: worker\.rescue is only called from deferred closures \(line 96\).*write defer w\.rescue\(\) instead`
		log.Println(r)
	}
}

func (w *worker) run() {
	defer func() { w.rescue() }()
}

// A literal held by a local variable and called from a deferred closure.
func heldCalledFromDefer() {
	handle := func() {
		if r := recover(); r != nil { // want `recover\(\) in handle \(the function literal on line 101\) returns nil: handle is only called from deferred closures \(line 106\).*write defer handle\(\)`
			log.Println(r)
		}
	}
	defer func() { handle() }()
	panic("boom")
}

// A literal held by a local variable and only called.
func heldCalled() {
	h := func() {
		if r := recover(); r != nil { // want `recover\(\) in h \(the function literal on line 112\) returns nil: h is only called, never deferred`
			log.Println(r)
		}
	}
	h()
	panic("boom")
}

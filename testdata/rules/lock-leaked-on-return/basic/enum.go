package fixture

import "sync"

type breakerState int32

const (
	closedState breakerState = iota
	openState
	halfOpenState
)

type breaker struct {
	rw    sync.RWMutex
	state breakerState
	fails int
}

func (b *breaker) State() breakerState { return b.state }

// Every constant of the state type has its case, and each one unlocks: no value falls through.
func (b *breaker) succeed() {
	rl := b.rw.RLocker()
	rl.Lock()
	switch b.State() {
	case openState:
		rl.Unlock()
	case halfOpenState:
		rl.Unlock()
		b.rw.Lock()
		b.state = closedState
		b.rw.Unlock()
	case closedState:
		b.fails = 0
		rl.Unlock()
	}
}

// One constant has no case: for that state the lock leaks.
func (b *breaker) markFailure() {
	b.rw.Lock() // want `b\.rw\.Lock\(\) on line 41 is not released on the path to the end of breaker\.markFailure`
	switch b.State() {
	case openState:
		b.rw.Unlock()
	case closedState:
		b.fails++
		b.rw.Unlock()
	}
}

// A switch on a plain integer has no list of values to cover.
func (b *breaker) bump(n int) {
	b.rw.Lock() // want `b\.rw\.Lock\(\) on line 53 is not released on the path to the end of breaker\.bump`
	switch n {
	case 0:
		b.rw.Unlock()
	case 1:
		b.fails++
		b.rw.Unlock()
	}
}

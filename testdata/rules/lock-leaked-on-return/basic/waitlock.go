package fixture

import (
	"errors"
	"sync"
)

var errDeadlock = errors.New("deadlock")

type notifier interface {
	// notify calls wake once the resource is free.
	notify(wake func()) bool
}

// The mutex is a signal: the second Lock waits until the registered callback unlocks it, and
// the mutex is dropped afterwards. Neither Lock is a critical section left open.
func waitUnlocked(n notifier) error {
	var m sync.Mutex
	m.Lock()
	if !n.notify(m.Unlock) {
		m.Unlock()
		return errDeadlock
	}
	m.Lock()
	return nil
}

// A waiter found by its id: wakeTurn unlocks the mutex waitTurn is blocked on.
var turnWaiters = map[int]*sync.Mutex{}
var turnMu sync.Mutex

func waitTurn(id int) error {
	m := new(sync.Mutex)
	m.Lock()
	if id < 0 {
		m.Unlock()
		return errDeadlock
	}
	turnMu.Lock()
	turnWaiters[id] = m
	turnMu.Unlock()
	m.Lock()
	turnMu.Lock()
	delete(turnWaiters, id)
	turnMu.Unlock()
	return nil
}

func wakeTurn(id int) {
	turnMu.Lock()
	defer turnMu.Unlock()
	if m, ok := turnWaiters[id]; ok {
		m.Unlock()
	}
}

type counterBox struct {
	mu sync.Mutex
	n  int
}

// An ordinary critical section that one path leaves locked.
func (c *counterBox) addIfPositive(d int) error {
	c.mu.Lock() // want `c\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if d < 0 {
		return errDeadlock
	}
	c.n += d
	c.mu.Unlock()
	return nil
}

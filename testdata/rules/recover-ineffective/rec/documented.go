package rec

import "fmt"

// Savepoint is an open savepoint of a transaction.
type Savepoint struct{ name string }

// Release releases the savepoint, turning a panic into an error.
//
// It is meant to be deferred by callers: defer sp.Release(&err).
func (s Savepoint) Release(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("savepoint %s: %v", s.name, r)
	}
}

// Abandon turns a panic into an error, but nothing here or in its documentation defers it.
func (s Savepoint) Abandon(errp *error) {
	if r := recover(); r != nil { // want `recover\(\) in Savepoint\.Abandon returns nil: Savepoint\.Abandon is never deferred in this package`
		*errp = fmt.Errorf("savepoint %s abandoned: %v", s.name, r)
	}
}

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

// Interp runs scripts.
type Interp struct{ err error }

// CheckPanic turns a panic of the script into the interpreter's error.
//
// Must be called as a defer function.
func (in *Interp) CheckPanic() {
	if r := recover(); r != nil {
		in.err = fmt.Errorf("script panicked: %v", r)
	}
}

// Reset clears the error. It can be called as a plain function after a run; a panic is not its business.
func (in *Interp) Reset() {
	if r := recover(); r != nil { // want `recover\(\) in Interp\.Reset returns nil: Interp\.Reset is never deferred in this package`
		in.err = fmt.Errorf("reset: %v", r)
	}
	in.err = nil
}

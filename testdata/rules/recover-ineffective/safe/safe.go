// Package safe holds a recovering helper that only other packages of the module defer.
package safe

import "fmt"

// PanicError carries a recovered panic value.
type PanicError struct{ Value any }

func (e *PanicError) Error() string { return fmt.Sprint("panic: ", e.Value) }

// CapturePanic turns a panic into an error; deferred directly by its callers, in package api.
func CapturePanic(errp *error) {
	if v := recover(); v != nil {
		*errp = &PanicError{Value: v}
	}
}

// Guarded is a mutex meant to be embedded in the structs it protects.
type Guarded struct{ mu chan struct{} }

// With runs f while holding g: it calls f in place.
func (g *Guarded) With(f func()) {
	f()
}

package swallow

import "fmt"

// Only error panics become an error; a panic("boom") is stopped and dropped.
func callHook(name string, hook func() error) (err error) {
	defer func() {
		r := recover() // want `handles only panics whose value is an error`
		if e, ok := r.(error); ok {
			err = fmt.Errorf("hook %s panicked: %w", name, e)
		}
	}()
	return hook()
}

// Every other value is turned into an error too.
func callHookAll(name string, hook func() error) (err error) {
	defer func() {
		r := recover()
		if e, ok := r.(error); ok {
			err = fmt.Errorf("hook %s panicked: %w", name, e)
		} else if r != nil {
			err = fmt.Errorf("hook %s panicked: %v", name, r)
		}
	}()
	return hook()
}

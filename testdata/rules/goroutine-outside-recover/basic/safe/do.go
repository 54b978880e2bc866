package safe

import "fmt"

// Guard turns a panic into the error it points to; it works when deferred directly.
func Guard(errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("panic: %v", r)
	}
}

// Do runs fn and returns its panic as an error.
func Do(fn func() error) (err error) {
	defer Guard(&err)
	return fn()
}

// Run runs fn; it recovers nothing.
func Run(fn func() error) error {
	return fn()
}

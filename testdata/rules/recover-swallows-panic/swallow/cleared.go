package swallow

import "fmt"

// A best-effort wrapper that clears the results on a panic: the caller sees success.
func bestEffort(act func() ([]byte, error)) func() ([]byte, error) {
	return func() (out []byte, err error) {
		defer func() {
			if r := recover(); r != nil { // want `the deferred function literal on line \d+ tests the value of recover\(\) and then does nothing with it`
				out, err = nil, nil
			}
		}()
		return act()
	}
}

// The panic becomes the error the caller sees.
func converted(act func() ([]byte, error)) func() ([]byte, error) {
	return func() (out []byte, err error) {
		defer func() {
			if r := recover(); r != nil {
				out, err = nil, fmt.Errorf("activity panicked: %v", r)
			}
		}()
		return act()
	}
}

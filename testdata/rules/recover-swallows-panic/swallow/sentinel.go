package swallow

import (
	"errors"
	"fmt"
)

var errSkip = errors.New("skip")

// Meant to let only errSkip through, it ends every other panic too: the inner test leads
// nowhere either way.
func runSkippable(hook func()) {
	defer func() {
		if r := recover(); r != nil { // want `the deferred function literal on line \d+ tests the value of recover\(\) and then does nothing with it`
			if e, ok := r.(error); ok && errors.Is(e, errSkip) {
				return
			}
		}
	}()
	hook()
}

// Anything but errSkip goes on panicking.
func runSkippableStrict(hook func()) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && errors.Is(e, errSkip) {
				return
			}
			panic(r)
		}
	}()
	hook()
}

// Anything but errSkip becomes the caller's error.
func runSkippableErr(hook func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok && errors.Is(e, errSkip) {
				return
			}
			err = fmt.Errorf("hook panicked: %v", r)
		}
	}()
	hook()
	return nil
}

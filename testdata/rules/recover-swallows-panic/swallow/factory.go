package swallow

import "log"

// quietly returns the function to defer: it is the deferred call, and its recover stops the
// panic and drops it.
func quietly() func() {
	return func() {
		recover() // want `discards the value of recover\(\)`
	}
}

func warmUp(fn func()) {
	defer quietly()()
	fn()
}

// logged returns a deferred function that reports what it stopped.
func loggedRecover(name string) func() {
	return func() {
		if r := recover(); r != nil {
			log.Printf("%s: panic: %v", name, r)
		}
	}
}

func warmUpLogged(fn func()) {
	defer loggedRecover("warm-up")()
	fn()
}

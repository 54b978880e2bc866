package rec

import "log"

func invoke(fn func()) { fn() }

// The literal is an argument: invoke is the deferred function, and it calls the literal.
func runPlugin(run func() error) error {
	defer invoke(func() {
		if r := recover(); r != nil { // want `recover\(\) in the function literal on line \d+ returns nil: the literal is passed to the deferred invoke\(\.\.\.\), so invoke is the deferred function`
			log.Printf("plugin: %v", r)
		}
	})
	return run()
}

// ---- not flagged ----

// The literal itself is deferred.
func runPluginSafely(run func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("plugin: %v", r)
		}
	}()
	return run()
}

package fetch

import "log"

// spawn runs fn in a new goroutine. It exists so that goroutine starts can be
// counted and traced in one place.
func spawn(fn func()) {
	go fn()
}

// goSafe runs fn in a new goroutine that logs and absorbs its own panic.
func goSafe(logger *log.Logger, name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				logger.Printf("%s: panic: %v", name, r)
			}
		}()
		fn()
	}()
}

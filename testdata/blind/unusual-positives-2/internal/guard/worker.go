package guard

import "log"

// Loop processes items from in, one at a time.
type Loop[T any] struct {
	in     <-chan T
	handle func(T)
	log    *log.Logger
	errs   chan error
}

// NewLoop returns a loop over in.
func NewLoop[T any](in <-chan T, handle func(T), l *log.Logger) *Loop[T] {
	return &Loop[T]{in: in, handle: handle, log: l, errs: make(chan error, 16)}
}

func (l *Loop[T]) safeHandle(item T) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep the loop alive
		}
	}()
	l.handle(item)
}

func (l *Loop[T]) loggedHandle(item T) {
	defer func() {
		if r := recover(); r != nil {
			l.log.Printf("loop: item %v: panic: %v", item, r)
		}
	}()
	l.handle(item)
}

// Run handles every item until in is closed.
func (l *Loop[T]) Run() {
	for item := range l.in {
		l.safeHandle(item)
	}
}

// RunLogged handles every item, logging panics.
func (l *Loop[T]) RunLogged() {
	for item := range l.in {
		l.loggedHandle(item)
	}
}

// TryEach handles items and converts a panic into a value on Errs.
func (l *Loop[T]) TryEach(items []T) {
	for _, it := range items {
		func() {
			defer func() {
				if r := recover(); r != nil {
					select {
					case l.errs <- panicError{r}:
					default:
						l.log.Printf("loop: dropped panic %v", r)
					}
				}
			}()
			l.handle(it)
		}()
	}
}

type panicError struct{ v any }

func (p panicError) Error() string { return "panic: " + stringOf(p.v) }

func stringOf(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if e, ok := v.(error); ok {
		return e.Error()
	}
	return "non-string panic value"
}

package guard

import (
	"fmt"
	"iter"
	"log"
)

// Each calls fn for every value, continuing past values whose handler
// panics.
func Each[T any](items iter.Seq[T], fn func(T)) {
	for v := range items {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
					// keep going with the next item
				}
			}()
			fn(v)
		}()
	}
}

// EachErr calls fn for every value and returns one error per panicking
// value, so nothing is lost.
func EachErr[T any](items iter.Seq[T], fn func(T)) []error {
	var errs []error
	for v := range items {
		func() {
			defer func() {
				if r := recover(); r != nil {
					errs = append(errs, fmt.Errorf("item %v: panic: %v", v, r))
				}
			}()
			fn(v)
		}()
	}
	return errs
}

// EachLogged calls fn for every value and logs panics through logger. The
// deferred literal calls recover itself and passes the value on.
func EachLogged[T any](logger *log.Logger, items iter.Seq[T], fn func(T)) int {
	failed := 0
	for v := range items {
		func() {
			defer func() { failed += logRecovered(logger, v, recover()) }()
			fn(v)
		}()
	}
	return failed
}

// logRecovered logs r if it is a panic value and reports 1 in that case.
func logRecovered[T any](logger *log.Logger, item T, r any) int {
	if r == nil {
		return 0
	}
	logger.Printf("item %v: panic: %v", item, r)
	return 1
}

// Must re-panics with context after logging, for callers that cannot
// continue.
func Must[T any](logger *log.Logger, name string, fn func() T) T {
	defer func() {
		if r := recover(); r != nil {
			logger.Printf("%s: fatal panic: %v", name, r)
			panic(fmt.Sprintf("%s: %v", name, r))
		}
	}()
	return fn()
}

// Try runs fn and reports a panic as an error.
func Try[T any](fn func() T) (v T, err error) {
	defer func() {
		report := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("panic: %v", r)
			}
		}
		report()
	}()
	return fn(), nil
}

// TryValue runs fn and reports a panic as an error; recover is called by
// the deferred literal itself.
func TryValue[T any](fn func() T) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return fn(), nil
}

package swallow

import "fmt"

// Only error values are turned into the result; panic("text") vanishes.
func runTyped(job func() error) (err error) {
	defer func() {
		if perr, ok := recover().(error); ok { // want `the deferred function literal on line \d+ handles only panics whose value is an error \(recover\(\)\.\(error\) with no else branch\): any other panic, such as panic\("\.\.\."\) with a string, is stopped and dropped`
			err = fmt.Errorf("job panicked: %w", perr)
		}
	}()
	return job()
}

// Every other value handled in the else branch: no finding.
func runTypedAll(job func() error) (err error) {
	defer func() {
		r := recover()
		if perr, ok := r.(error); ok {
			err = fmt.Errorf("job panicked: %w", perr)
		} else if r != nil {
			err = fmt.Errorf("job panicked: %v", r)
		}
	}()
	return job()
}

// A type switch whose cases do nothing: every panic vanishes.
func drain(jobs []func() error) {
	defer func() {
		switch recover().(type) { // want `the deferred function literal on line \d+ tests the value of recover\(\) and then does nothing with it`
		case nil:
		default:
		}
	}()
	for _, j := range jobs {
		_ = j()
	}
}

// The error built from the panic is returned by the deferred literal, where it goes nowhere.
func deliver(fn func() error) error {
	defer func() error {
		if r := recover(); r != nil { // want `the deferred function literal on line \d+ tests the value of recover\(\) and then does nothing with it`
			return fmt.Errorf("deliver: panic: %v", r)
		}
		return nil
	}()
	return fn()
}

// The value logged through a helper that returns it: handled. No finding.
func deliverLogged(fn func() error, logf func(string, ...any) error) error {
	defer func() error {
		if r := recover(); r != nil {
			return logf("deliver: panic: %v", r)
		}
		return nil
	}()
	return fn()
}

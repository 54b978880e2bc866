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

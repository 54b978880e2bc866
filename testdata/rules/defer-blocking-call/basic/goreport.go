package fixture

import "errors"

func waitForRelayLogs(alias string) error {
	if alias == "" {
		return errors.New("no alias")
	}
	return nil
}

// Each goroutine reports its result as it ends; the caller collects one per goroutine.
func waitAll(aliases []string) error {
	errCh := make(chan error)
	for _, a := range aliases {
		go func(alias string) {
			var err error
			defer func() {
				errCh <- err
			}()
			err = waitForRelayLogs(alias)
		}(a)
	}
	var first error
	for range aliases {
		if err := <-errCh; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// A function that is not a goroutine of its own waits for the receiver before it returns.
func reportOnce(alias string) {
	errCh := make(chan error)
	go func() {
		<-errCh
	}()
	var err error
	defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → errCh <- err \(line 41\) blocks until another goroutine receives from the unbuffered channel`
		errCh <- err
	}()
	err = waitForRelayLogs(alias)
}

// The same through a local function value started only with go.
func fillAll(aliases []string) error {
	errCh := make(chan error)
	fill := func(alias string) {
		var err error
		defer func() {
			errCh <- err
		}()
		err = waitForRelayLogs(alias)
	}
	for _, a := range aliases {
		go fill(a)
	}
	for range aliases {
		if err := <-errCh; err != nil {
			return err
		}
	}
	return nil
}

package fixture

import (
	"errors"
	"sync"
)

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
	defer func() { // want `deferred func\(\) \{\.\.\.\}\(\) → errCh <- err \(line \d+\) blocks until another goroutine receives from the unbuffered channel`
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

// A goroutine that a WaitGroup runs reports in its defer too: the caller ranges over the results
// until the group is done and the channel closed.
func collectAll(aliases []string) error {
	results := make(chan error)
	var wg sync.WaitGroup
	for _, a := range aliases {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					results <- errors.New("panic while waiting")
				}
			}()
			if err := waitForRelayLogs(a); err != nil {
				results <- err
			}
		})
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var first error
	for err := range results {
		if first == nil {
			first = err
		}
	}
	return first
}

package logstream

import (
	"errors"
	"io"
	"sync"
)

// Multi fans each write out to several sinks.
type Multi struct {
	sinks      []io.WriteCloser
	sequential bool
}

// NewMulti returns a writer that writes to every sink.
func NewMulti(sinks ...io.WriteCloser) *Multi {
	return &Multi{sinks: sinks}
}

// Sequential makes Write call the sinks one after another (for debugging
// ordering problems between sinks).
func (m *Multi) Sequential() *Multi {
	m.sequential = true
	return m
}

// Write writes p to all sinks concurrently, so that a slow remote sink does
// not hold up the others, and waits for all of them.
func (m *Multi) Write(p []byte) (int, error) {
	errs := make([]error, len(m.sinks))
	var wg sync.WaitGroup
	for i, s := range m.sinks {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, errs[i] = s.Write(p)
		}()
		if m.sequential {
			wg.Wait()
		}
	}
	wg.Wait()
	return len(p), errors.Join(errs...)
}

// Close closes every sink and reports all errors.
func (m *Multi) Close() error {
	var errs []error
	for _, s := range m.sinks {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

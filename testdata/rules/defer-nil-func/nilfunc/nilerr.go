package nilfunc

import (
	"errors"

	"example.com/nilfunc/leases"
)

var errNoName = errors.New("busy")

// beginSpan returns no end func, and no error, when tracing is off.
func beginSpan(on bool, name string) (end func(), err error) {
	if !on {
		return nil, nil
	}
	if name == "" {
		return nil, errNoName
	}
	return func() {}, nil
}

// Past the error check, end is still nil when tracing is off.
func tracedWork(on bool, work func() error) error {
	end, err := beginSpan(on, "work")
	if err != nil {
		return err
	}
	defer end() // want `end is nil when beginSpan takes its .return nil. on line \d+`
	return work()
}

// The manager of another package returns no release func when it is disabled.
func withKeyLease(m *leases.Manager, key string, work func() error) error {
	release, err := m.Acquire(key)
	if err != nil {
		return err
	}
	defer release() // want `release is nil when m\.Acquire takes a .return nil, nil. in its package`
	return work()
}

// The no-op variant never returns a nil func with a nil error. No finding.
func withKeyLeaseOrNoop(m *leases.Manager, key string, work func() error) error {
	release, err := m.AcquireOrNoop(key)
	if err != nil {
		return err
	}
	defer release()
	return work()
}

package fixture

import "errors"

type lease struct{ holder int }

type replica struct {
	nodeID int
	mu     struct {
		DB
		lease     lease
		destroyed bool
	}
	dirty bool
}

var errDestroyed = errors.New("replica destroyed")

// Releases a lock its caller took: the package hands r.mu.rwlock over on purpose elsewhere.
func (r *replica) unlockAndNotify() {
	r.dirty = false
	r.mu.rwlock.Unlock()
}

// One success return unlocks, the other forgets to: the hand-off elsewhere does not excuse it.
func (r *replica) transferLease(to int) error {
	r.mu.rwlock.Lock() // want `r\.mu\.rwlock\.Lock\(\) on line \d+ is not released on the path to the return on line 33`
	if r.mu.destroyed {
		r.mu.rwlock.Unlock()
		return errDestroyed
	}
	if to == r.nodeID {
		return nil
	}
	r.mu.lease = lease{holder: to}
	r.mu.rwlock.Unlock()
	return nil
}

// An acquire helper: every failure releases, every success keeps the lock for the caller, who
// gives it back through unlockAndNotify.
func (r *replica) lockForWrite() error {
	r.mu.rwlock.Lock()
	if r.mu.destroyed {
		r.mu.rwlock.Unlock()
		return errDestroyed
	}
	r.dirty = true
	return nil
}

// The deferred literal gets the replica as a parameter and releases the lock on every early
// return; the success path unlocks by hand before slower work.
func (r *replica) recoverState(steps []func() error) error {
	r.mu.rwlock.Lock()
	unlocked := false
	defer func(r *replica) {
		if !unlocked {
			r.mu.rwlock.Unlock()
		}
	}(r)
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	r.mu.rwlock.Unlock()
	unlocked = true
	return nil
}

package deferr

import "errors"

type execContext struct {
	locked bool
	failed bool
}

// unlock releases the context; a failed run drops it from the cache.
func (c *execContext) unlock(err error) {
	c.failed = err != nil
	c.locked = false
}

// acquire hands back a locked context even when it fails to reset it, with the error.
func acquire(id string) (*execContext, error) {
	c := &execContext{locked: true}
	if id == "" {
		return c, errors.New("empty id: context reset")
	}
	return c, nil
}

// The deferred call is handed the error itself: it is written to run on failure too.
func replay(id string) error {
	c, err := acquire(id)
	defer c.unlock(err)
	if err != nil {
		return err
	}
	return nil
}

// Handed another value, the deferred call runs on the nil context: reported.
func replayQuiet(id string, prev error) error {
	c, err := acquire(id)
	defer c.unlock(prev) // want `c from acquire on line \d+ is used by the deferred c\.unlock\(prev\) before err is checked`
	if err != nil {
		return err
	}
	return nil
}

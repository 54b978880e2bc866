package cache

import (
	"sync"
	"time"
)

// StartJanitor removes expired entries every interval until the returned
// stop function is called. stop waits for the janitor to exit.
func (c *Cache) StartJanitor(interval time.Duration, logf func(string, ...any)) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if n := c.RemoveExpired(); n > 0 && logf != nil {
					logf("cache: removed %d expired entries", n)
				}
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			<-finished
		})
	}
}

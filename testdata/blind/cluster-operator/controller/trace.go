package controller

import "time"

// slowThreshold is the duration above which traced operations are logged.
const slowThreshold = 5 * time.Second

// trace logs the start of op and returns the function that records its
// duration. Use it as: defer c.trace("op", key)()
func (c *Controller) trace(op, key string) func() {
	start := time.Now()
	c.logger.Printf("controller: %s %s: start", op, key)
	return func() {
		d := time.Since(start)
		c.metrics.Observe(op+"_duration_seconds", d.Seconds())
		if d > slowThreshold {
			c.logger.Printf("controller: %s %s: slow (%v)", op, key, d)
		}
	}
}

// Package pool keeps a bounded set of reusable network connections.
package pool

import (
	"net"
	"time"
)

// Conn is a pooled connection. Callers use it as a net.Conn and hand it back
// with Pool.Put.
type Conn struct {
	net.Conn
	pool     *Pool
	created  time.Time
	lastUsed time.Time
	broken   bool
}

// MarkBroken tells the pool to close c instead of reusing it.
func (c *Conn) MarkBroken() { c.broken = true }

// Age reports how long ago the connection was dialed.
func (c *Conn) Age(now time.Time) time.Duration { return now.Sub(c.created) }

func (c *Conn) expired(now time.Time, idle time.Duration) bool {
	return idle > 0 && now.Sub(c.lastUsed) > idle
}

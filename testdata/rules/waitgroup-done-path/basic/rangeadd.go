package fixture

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

type idleSession struct{ lastSeen atomic.Int64 }

func (s *idleSession) idleFor() time.Duration {
	return time.Since(time.Unix(0, s.lastSeen.Load()))
}

// The group is counted in the Range callback that starts each goroutine; the early return of a
// busy session skips its Done, so Wait hangs.
func closeIdle(sessions *sync.Map, maxIdle time.Duration) int {
	var closed atomic.Int32
	var wg sync.WaitGroup
	sessions.Range(func(k, v any) bool {
		c, s := k.(net.Conn), v.(*idleSession)
		wg.Add(1)
		go func() {
			if s.idleFor() < maxIdle {
				return
			}
			_ = c.Close()
			closed.Add(1)
			wg.Done() // want `wg\.Done\(\) on line \d+ is skipped by the return on line \d+ in the goroutine started on line \d+`
		}()
		return true
	})
	wg.Wait()
	return int(closed.Load())
}

// Done deferred: every goroutine the callback counted marks the group.
func closeIdleDeferred(sessions *sync.Map, maxIdle time.Duration) {
	var wg sync.WaitGroup
	sessions.Range(func(k, v any) bool {
		c, s := k.(net.Conn), v.(*idleSession)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if s.idleFor() < maxIdle {
				return
			}
			_ = c.Close()
		}()
		return true
	})
	wg.Wait()
}

package smtpd

import "sync"

// connLimiter bounds concurrent connections per client address.
type connLimiter struct {
	mu    sync.Mutex
	perIP map[string]int
	max   int
}

func newConnLimiter(max int) *connLimiter {
	return &connLimiter{perIP: make(map[string]int), max: max}
}

// allow takes a connection slot for ip.
func (l *connLimiter) allow(ip string) bool {
	if l == nil || l.max <= 0 {
		return true
	}
	l.mu.Lock() // HAZ lock-leaked-on-return
	if l.perIP[ip] >= l.max {
		return false
	}
	l.perIP[ip]++
	l.mu.Unlock()
	return true
}

// release gives back the slot taken by allow.
func (l *connLimiter) release(ip string) {
	if l == nil || l.max <= 0 {
		return
	}
	l.mu.Lock()
	if n := l.perIP[ip]; n > 1 {
		l.perIP[ip] = n - 1
	} else {
		delete(l.perIP, ip)
	}
	l.mu.Unlock()
}

package api

import "sync"

// clientLimiter caps concurrent submissions per client address.
type clientLimiter struct {
	mu     sync.Mutex
	active map[string]int
	max    int
}

func newClientLimiter(max int) *clientLimiter {
	return &clientLimiter{active: make(map[string]int), max: max}
}

// allow reserves a slot for client.
func (l *clientLimiter) allow(client string) bool {
	l.mu.Lock() // HAZ lock-leaked-on-return
	n := l.active[client]
	if n >= l.max {
		return false
	}
	l.active[client] = n + 1
	l.mu.Unlock()
	return true
}

// done releases a slot reserved by allow.
func (l *clientLimiter) done(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := l.active[client]; n <= 1 {
		delete(l.active, client)
	} else {
		l.active[client] = n - 1
	}
}

// inUse reports the slots held by client.
func (l *clientLimiter) inUse(client string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.active[client]
}

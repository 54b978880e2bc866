package fixture

import (
	"fmt"
	"sync"
)

type abortSignal struct {
	code int
	msg  string
}

// abort unwinds the request to the router's recover, which answers with the code.
func abort(code int, msg string) { panic(abortSignal{code: code, msg: msg}) }

// abortIf panics only when told to.
func abortIf(cond bool, code int) {
	if !cond {
		return
	}
	panic(abortSignal{code: code})
}

type sessions struct {
	mu   sync.Mutex
	byID map[string]int
}

// The router recovers the abort and serves the next request with s.mu still held.
func (s *sessions) require(id string) int {
	s.mu.Lock() // want `s\.mu\.Lock\(\) on line \d+ is not released before abort\(401, "expired"\) on line 34, which always panics`
	v, ok := s.byID[id]
	if !ok {
		abort(401, "expired")
	}
	s.mu.Unlock()
	return v
}

// A helper that may return is no panic: the path goes on to the unlock.
func (s *sessions) requireSoft(id string) int {
	s.mu.Lock()
	v, ok := s.byID[id]
	abortIf(!ok, 401)
	s.mu.Unlock()
	return v
}

// Released before aborting.
func (s *sessions) requireReleased(id string) int {
	s.mu.Lock()
	v, ok := s.byID[id]
	s.mu.Unlock()
	if !ok {
		abort(401, fmt.Sprintf("no session %s", id))
	}
	return v
}

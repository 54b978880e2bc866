package fixture

import "sync"

type store struct {
	mu    sync.RWMutex
	msgs  map[uint64]string
	first uint64
	subs  int
	cache map[string]bool
}

// The lock is taken only when the caller asks for it.
func (s *store) msgFor(seq uint64, needLock bool) string {
	if needLock {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	return s.msgs[seq]
}

// A helper literal that locks only when the enclosing function's flag says so.
func (s *store) remove(seq uint64, needLock bool) bool {
	lock := func() {
		if needLock {
			s.mu.Lock()
		}
	}
	unlock := func() {
		if needLock {
			s.mu.Unlock()
		}
	}
	lock()
	defer unlock()
	_, ok := s.msgs[seq]
	delete(s.msgs, seq)
	return ok
}

// Called with the lock held and needLock false: the callees do not lock again.
func (s *store) lastMsgs(seqs []uint64) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []string
	for _, seq := range seqs {
		out = append(out, s.msgFor(seq, false))
	}
	return out
}

func (s *store) expire(seqs []uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, seq := range seqs {
		s.remove(seq, false)
	}
}

// Asking the callee to lock while holding the lock deadlocks.
func (s *store) expireLocked(seqs []uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, seq := range seqs {
		s.remove(seq, true) // want `s\.mu is locked on line 62 and held until store\.expireLocked returns .*s\.remove\(seq, true\) on line 65 locks it again`
	}
}

// The callee releases the lock around the call that takes it again.
func (s *store) checkState() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.first > 0
}

func (s *store) resetLocked(seq uint64) {
	s.first = seq
	if len(s.msgs) == 0 {
		s.mu.Unlock()
		s.checkState()
		s.mu.Lock()
	}
}

func (s *store) reset(seq uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetLocked(seq)
}

// A callee that calls the locking function without releasing first still deadlocks.
func (s *store) resetChecked(seq uint64) {
	s.first = seq
	s.checkState()
}

func (s *store) resetAndCheck(seq uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetChecked(seq) // want `s\.mu is locked on line 98 and held until store\.resetAndCheck returns .*store\.resetChecked → store\.checkState → s\.mu\.RLock\(\)`
}

// A short critical section in a loop, then a lock held to the end: the first lock is released
// before anything else runs.
func (s *store) drain(seqs []uint64) {
	for _, seq := range seqs {
		s.mu.Lock()
		s.remove(seq, false)
		s.mu.Unlock()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subs = 0
}

// Locked and unlocked under the same flag: the second lock is taken only after the first is gone.
func (s *store) hasInterest(subject string, doLock bool) bool {
	if doLock {
		s.mu.RLock()
	}
	hit, ok := s.cache[subject]
	if doLock {
		s.mu.RUnlock()
	}
	if ok {
		return hit
	}
	if doLock {
		s.mu.RLock()
		defer s.mu.RUnlock()
	}
	return len(s.msgs) > 0
}

type broadcaster struct {
	mu    sync.Mutex
	cache map[string]int
}

func newBroadcaster() *broadcaster { return &broadcaster{cache: map[string]int{}} }

func (b *broadcaster) refresh() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.cache["x"]++
}

// Each iteration makes a new broadcaster: the lock held from the previous iteration is another
// instance's.
func checkAll(names []string) {
	for range names {
		b := newBroadcaster()
		b.refresh()
		b.mu.Lock()
		defer b.mu.Unlock()
	}
}

// The same broadcaster on every iteration: the second refresh waits for the first iteration's lock.
func checkShared(names []string) {
	b := newBroadcaster()
	for range names {
		b.refresh() // want `b\.mu is locked on line 164 and held until checkShared returns .*b\.refresh\(\) on line 163 locks it again`
		b.mu.Lock()
		defer b.mu.Unlock()
	}
}

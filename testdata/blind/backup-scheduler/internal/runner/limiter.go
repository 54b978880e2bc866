package runner

import "sync"

// Limiter bounds the number of concurrent uploads; unlike the runner's
// semaphore its limit can change at run time.
type Limiter struct {
	mu     sync.Mutex
	cond   *sync.Cond
	active int
	max    int
}

// NewLimiter returns a limiter admitting n holders.
func NewLimiter(n int) *Limiter {
	l := &Limiter{max: n}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// Acquire blocks until a slot is free.
func (l *Limiter) Acquire() {
	l.mu.Lock()
	for l.active >= l.max {
		l.cond.Wait()
	}
	l.active++
	l.mu.Unlock()
}

// TryAcquire takes a slot if one is free.
func (l *Limiter) TryAcquire() bool {
	l.mu.Lock()
	if l.active >= l.max {
		l.mu.Unlock()
		return false
	}
	l.active++
	l.mu.Unlock()
	return true
}

// Release frees a slot.
func (l *Limiter) Release() {
	l.mu.Lock()
	l.active--
	l.mu.Unlock()
	l.cond.Signal()
}

// Do runs fn holding a slot.
func (l *Limiter) Do(fn func() error) error {
	l.Acquire()
	defer l.Release()
	return fn()
}

// Resize changes the number of slots; waiting holders are re-checked.
func (l *Limiter) Resize(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.max = n
	l.cond.Broadcast()
}

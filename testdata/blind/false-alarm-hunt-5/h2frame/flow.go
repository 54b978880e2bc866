package h2frame

import "sync"

const maxWindow = 1<<31 - 1

// flow is a flow-control window that senders wait on.
type flow struct {
	mu     sync.Mutex
	cond   *sync.Cond
	avail  int64
	closed bool
}

func newFlow(n int64) *flow {
	f := &flow{avail: n}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// take waits for credit and takes up to want bytes of it.
func (f *flow) take(want int64) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.avail <= 0 && !f.closed {
		f.cond.Wait()
	}
	if f.closed {
		return 0, errConnClosed
	}
	n := min(want, f.avail)
	f.avail -= n
	return n, nil
}

// giveBack returns unused credit.
func (f *flow) giveBack(n int64) {
	f.mu.Lock()
	f.avail += n
	f.mu.Unlock()
	f.cond.Broadcast()
}

// add grants credit from a WINDOW_UPDATE.
func (f *flow) add(n int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.avail+n > maxWindow {
		return ConnectionError(ErrCodeFlow)
	}
	f.avail += n
	f.cond.Broadcast()
	return nil
}

// close wakes all waiters with an error.
func (f *flow) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.cond.Broadcast()
}

func (f *flow) available() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.avail
}

package fixture

import "sync"

type rwFile struct {
	mu   sync.Mutex
	data []byte
}

func (f *rwFile) fetch(b []byte) int { return copy(b, f.data) }

// readLocked runs with f.mu held; with release it lets go of the lock around the slow read and
// takes it back before returning.
func (f *rwFile) readLocked(b []byte, release bool) int {
	if release {
		f.mu.Unlock()
	}
	n := f.fetch(b)
	if release {
		f.mu.Lock()
	}
	return n
}

// The callee lets go of the lock before taking it back: no re-entry. No finding.
func (f *rwFile) Read(b []byte) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.readLocked(b, true)
}

// readRelocking takes the lock back under another test than the one that let go of it.
func (f *rwFile) readRelocking(b []byte, release, relock bool) int {
	if release {
		f.mu.Unlock()
	}
	n := f.fetch(b)
	if relock {
		f.mu.Lock()
		defer f.mu.Unlock()
	}
	return n
}

// With release false and relock true, the callee locks the mutex this function holds.
func (f *rwFile) ReadTwice(b []byte) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.readRelocking(b, false, true) // want `f\.mu is locked on line \d+ and held until rwFile\.ReadTwice returns`
}

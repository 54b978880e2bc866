package locks

import (
	"os"
	"sync"

	"example.com/flock"
)

// A file lock's handle: RLock takes the shared lock and Unlock releases it (there is no RUnlock).
func readShared(path string) ([]byte, error) {
	lock := flock.New(path + ".lock")
	lock.RLock()
	defer lock.Unlock()
	return os.ReadFile(path)
}

func newTableLock() *sync.RWMutex { return &sync.RWMutex{} }

// A sync.RWMutex from the module's own constructor is typed: the mismatch is reported.
func readTable(path string) ([]byte, error) {
	mu := newTableLock()
	mu.RLock()
	defer mu.Unlock() // want `mu is read-locked with RLock on line \d+, but the deferred mu\.Unlock\(\).*releases a write lock that was never taken`
	return os.ReadFile(path)
}

type shard struct {
	mu     sync.RWMutex
	series map[string]int
}

func (s *shard) mutex() *sync.RWMutex { return &s.mu }

// The mutex reached through its accessor, the release through a method value of it.
func (s *shard) reset() {
	s.mutex().Lock()
	unlock := s.mutex().RUnlock
	defer unlock() // want `s\.mutex\(\) is locked with Lock on line \d+, but the deferred unlock\(\).*releases a read lock that was never taken`
	clear(s.series)
}

func (s *shard) size() int {
	s.mutex().RLock()
	unlock := s.mutex().RUnlock
	defer unlock()
	return len(s.series)
}

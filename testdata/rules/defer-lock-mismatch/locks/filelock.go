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

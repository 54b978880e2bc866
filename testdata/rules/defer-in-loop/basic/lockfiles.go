package fixture

import (
	"os"
	"sort"
	"sync"
	"time"
)

var (
	fileLocksMu sync.Mutex
	fileLocks   = map[string]bool{}
)

func lockFile(name string) error {
	fileLocksMu.Lock()
	defer fileLocksMu.Unlock()
	if fileLocks[name] {
		return os.ErrExist
	}
	fileLocks[name] = true
	return nil
}

func unlockFile(name string) {
	fileLocksMu.Lock()
	defer fileLocksMu.Unlock()
	delete(fileLocks, name)
}

// Lock-all through helpers: every source is locked in a fixed order and stays locked while the
// merged result is written after the loop.
func mergeLocked(sources []string, target string, data []byte) error {
	sort.Strings(sources)
	for _, src := range sources {
		if err := lockFile(src); err != nil {
			return err
		}
		defer unlockFile(src)
	}
	return os.WriteFile(target, data, 0o600)
}

// The loop is the function's last work: each file only needs its lock for its own iteration,
// yet stays locked until every later file is done.
func touchAll(names []string) error {
	for _, name := range names {
		if err := lockFile(name); err != nil {
			return err
		}
		defer unlockFile(name) // want `deferred unlockFile\(name\) runs only when touchAll returns`
		if err := os.Chtimes(name, time.Time{}, time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

// One mutex per partition, each only needed for its own flush; the error return gives up on the
// loop rather than handing back something found under the locks.
func flushPartitions(parts map[int]*sync.Mutex, flush func(int) error) error {
	for p, m := range parts {
		m.Lock()
		defer m.Unlock() // want `m is locked on line \d+ in every iteration of the loop on line \d+, but the deferred m\.Unlock\(\) runs only when flushPartitions returns`
		if err := flush(p); err != nil {
			return err
		}
	}
	return nil
}

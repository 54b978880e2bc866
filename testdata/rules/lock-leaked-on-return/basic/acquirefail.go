package fixture

import (
	"errors"
	"sync"
)

var errShardClosed = errors.New("lshard closed")

type lshard struct {
	mu     sync.Mutex
	closed bool
	items  map[string]int
}

type lshardSet struct{ shards []*lshard }

func (s *lshardSet) pick(key string) *lshard { return s.shards[len(key)%len(s.shards)] }

// lockShard returns the key's lshard locked; on a closed lshard it returns the error with the lock
// still held, and get returns on that error without unlocking.
func (s *lshardSet) lockShard(key string) (*lshard, error) {
	sh := s.pick(key)
	sh.mu.Lock() // want `lshardSet.lockShard returns errShardClosed on line \d+ with sh.mu still locked, and lshardSet.get`
	if sh.closed {
		return nil, errShardClosed
	}
	return sh, nil
}

func (s *lshardSet) get(key string) (int, bool) {
	sh, err := s.lockShard(key)
	if err != nil {
		return 0, false
	}
	defer sh.mu.Unlock()
	v, ok := sh.items[key]
	return v, ok
}

// lockLive releases the lock before it returns the error: nothing is left held.
func (s *lshardSet) lockLive(key string) (*lshard, error) {
	sh := s.pick(key)
	sh.mu.Lock()
	if sh.closed {
		sh.mu.Unlock()
		return nil, errShardClosed
	}
	return sh, nil
}

func (s *lshardSet) put(key string, v int) error {
	sh, err := s.lockLive(key)
	if err != nil {
		return err
	}
	defer sh.mu.Unlock()
	sh.items[key] = v
	return nil
}

// lockChecked keeps the lock on the error too, and its only caller unlocks in the error branch.
func (s *lshardSet) lockChecked(key string) (*lshard, error) {
	sh := s.pick(key)
	sh.mu.Lock()
	if sh.closed {
		return sh, errShardClosed
	}
	return sh, nil
}

func (s *lshardSet) remove(key string) error {
	sh, err := s.lockChecked(key)
	if err != nil {
		sh.mu.Unlock()
		return err
	}
	delete(sh.items, key)
	sh.mu.Unlock()
	return nil
}

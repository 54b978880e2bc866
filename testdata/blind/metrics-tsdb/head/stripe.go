package head

import (
	"sync"

	"example.com/tsdb/model"
)

// stripeSeries holds the series of the head, sharded by label hash so that
// appends to different series rarely contend on the same lock.
type stripeSeries struct {
	size   int
	locks  []sync.RWMutex
	series []map[uint64][]*memSeries // hash -> series (collision list)
}

func newStripeSeries(size int) *stripeSeries {
	if size <= 0 || size&(size-1) != 0 {
		size = 1024
	}
	s := &stripeSeries{
		size:   size,
		locks:  make([]sync.RWMutex, size),
		series: make([]map[uint64][]*memSeries, size),
	}
	for i := range s.series {
		s.series[i] = map[uint64][]*memSeries{}
	}
	return s
}

func (s *stripeSeries) stripe(hash uint64) int {
	return int(hash & uint64(s.size-1))
}

// get returns the series for lset, or nil.
func (s *stripeSeries) get(hash uint64, lset model.Labels) *memSeries {
	i := s.stripe(hash)
	s.locks[i].RLock()
	defer s.locks[i].RUnlock()
	for _, ms := range s.series[i][hash] {
		if ms.lset.Equal(lset) {
			return ms
		}
	}
	return nil
}

// getOrCreate returns the series for lset, creating it if needed. The fast
// path only takes the read lock.
func (s *stripeSeries) getOrCreate(hash uint64, lset model.Labels, newRef func() uint64) (*memSeries, bool) {
	if ms := s.get(hash, lset); ms != nil {
		return ms, false
	}
	i := s.stripe(hash)
	s.locks[i].Lock()
	defer s.locks[i].Unlock()
	for _, ms := range s.series[i][hash] {
		if ms.lset.Equal(lset) {
			return ms, false
		}
	}
	ms := newMemSeries(newRef(), lset.Copy())
	s.series[i][hash] = append(s.series[i][hash], ms)
	return ms, true
}

// gc drops series without samples at or after mint and returns how many were removed.
func (s *stripeSeries) gc(mint int64) int {
	removed := 0
	for i := range s.locks {
		func() {
			s.locks[i].Lock()
			defer s.locks[i].Unlock()
			for hash, list := range s.series[i] {
				kept := list[:0]
				for _, ms := range list {
					if ms.truncateBefore(mint) > 0 {
						kept = append(kept, ms)
					} else {
						removed++
					}
				}
				if len(kept) == 0 {
					delete(s.series[i], hash)
				} else {
					s.series[i][hash] = kept
				}
			}
		}()
	}
	return removed
}

// count returns the number of series.
func (s *stripeSeries) count() int {
	n := 0
	for i := range s.locks {
		s.locks[i].RLock()
		for _, list := range s.series[i] {
			n += len(list)
		}
		s.locks[i].RUnlock()
	}
	return n
}

// forEach calls fn for every series. Each stripe is copied under its read
// lock and fn runs without any stripe lock held.
func (s *stripeSeries) forEach(fn func(*memSeries)) {
	var batch []*memSeries
	for i := range s.locks {
		batch = batch[:0]
		s.locks[i].RLock()
		for _, list := range s.series[i] {
			batch = append(batch, list...)
		}
		s.locks[i].RUnlock()
		for _, ms := range batch {
			fn(ms)
		}
	}
}

// lockAll write-locks every stripe in index order; pair with unlockAll.
// Used to take a consistent cut of the head for persistence.
func (s *stripeSeries) lockAll() {
	for i := range s.locks {
		s.locks[i].Lock()
	}
}

func (s *stripeSeries) unlockAll() {
	for i := range s.locks {
		s.locks[i].Unlock()
	}
}

package head

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"example.com/tsdb/model"
)

// memSeries is one series of the head block. mu guards samples and maxTime.
type memSeries struct {
	mu      sync.Mutex
	ref     uint64
	lset    model.Labels
	samples []model.Sample
	maxTime int64
}

func newMemSeries(ref uint64, lset model.Labels) *memSeries {
	return &memSeries{ref: ref, lset: lset, maxTime: math.MinInt64}
}

// appendLocked adds one sample. s.mu must be held.
func (s *memSeries) appendLocked(t int64, v float64) error {
	if t <= s.maxTime {
		return ErrOutOfOrder
	}
	s.samples = append(s.samples, model.Sample{T: t, V: v})
	s.maxTime = t
	return nil
}

// appendSample is the WAL replay path: it takes the series lock itself.
func (s *memSeries) appendSample(t int64, v float64) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if t <= s.maxTime {
		return fmt.Errorf("series %d %s: %w (t=%d, max=%d)", s.ref, s.lset, ErrOutOfOrder, t, s.maxTime)
	}
	s.samples = append(s.samples, model.Sample{T: t, V: v})
	s.maxTime = t
	s.mu.Unlock()
	return nil
}

// samplesBetween returns a copy of the samples with mint <= T <= maxt.
func (s *memSeries) samplesBetween(mint, maxt int64) []model.Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	lo := sort.Search(len(s.samples), func(i int) bool { return s.samples[i].T >= mint })
	hi := sort.Search(len(s.samples), func(i int) bool { return s.samples[i].T > maxt })
	if lo >= hi {
		return nil
	}
	out := make([]model.Sample, hi-lo)
	copy(out, s.samples[lo:hi])
	return out
}

// truncateBefore drops samples older than mint and returns how many remain.
func (s *memSeries) truncateBefore(mint int64) int {
	s.mu.Lock()
	i := sort.Search(len(s.samples), func(i int) bool { return s.samples[i].T >= mint })
	if i == 0 {
		n := len(s.samples)
		s.mu.Unlock()
		return n
	}
	s.samples = append(s.samples[:0:0], s.samples[i:]...)
	n := len(s.samples)
	s.mu.Unlock()
	return n
}

// bounds returns the first and last timestamp, ok=false when empty.
func (s *memSeries) bounds() (mint, maxt int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.samples) == 0 {
		return 0, 0, false
	}
	return s.samples[0].T, s.maxTime, true
}

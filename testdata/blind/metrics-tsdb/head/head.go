// Package head implements the in-memory head block: the most recent samples,
// appendable, striped by series hash.
package head

import (
	"errors"
	"math"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/tsdb/model"
)

var (
	// ErrOutOfOrder is returned for a sample not newer than the series' last one.
	ErrOutOfOrder = errors.New("out-of-order sample")
	// ErrOutOfBounds is returned for a sample older than the head's lower bound.
	ErrOutOfBounds = errors.New("sample older than head lower bound")
	// ErrClosed is returned after Close.
	ErrClosed = errors.New("head closed")
)

// Options configure a Head.
type Options struct {
	StripeSize int
}

// Head is the in-memory block.
type Head struct {
	mu           sync.RWMutex // guards minValid, lastTruncate, closed
	minValid     int64
	lastTruncate time.Time
	closed       bool

	series     *stripeSeries
	lastRef    atomic.Uint64
	minTime    atomic.Int64
	maxTime    atomic.Int64
	numSamples atomic.Uint64
}

// New returns an empty head.
func New(opts Options) *Head {
	h := &Head{series: newStripeSeries(opts.StripeSize), minValid: math.MinInt64}
	h.minTime.Store(math.MaxInt64)
	h.maxTime.Store(math.MinInt64)
	return h
}

// MinTime returns the lowest timestamp in the head.
func (h *Head) MinTime() int64 { return h.minTime.Load() }

// MaxTime returns the highest timestamp in the head.
func (h *Head) MaxTime() int64 { return h.maxTime.Load() }

// MinValid returns the lower bound for appends.
func (h *Head) MinValid() int64 {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.minValid
}

func (h *Head) nextRef() uint64 { return h.lastRef.Add(1) }

// Append adds a sample and returns the series reference.
func (h *Head) Append(lset model.Labels, t int64, v float64) (uint64, error) {
	if t < h.MinValid() {
		return 0, ErrOutOfBounds
	}
	ms, _ := h.series.getOrCreate(lset.Hash(), lset, h.nextRef)
	ms.mu.Lock()
	defer ms.mu.Unlock()
	if err := ms.appendLocked(t, v); err != nil {
		return 0, err
	}
	h.updateMinMax(t)
	h.numSamples.Add(1)
	return ms.ref, nil
}

// AppendReplayed adds a sample read back from the WAL. Bounds are not checked:
// the WAL only holds samples that were accepted once.
func (h *Head) AppendReplayed(lset model.Labels, t int64, v float64) error {
	ms, _ := h.series.getOrCreate(lset.Hash(), lset, h.nextRef)
	if err := ms.appendSample(t, v); err != nil {
		return err
	}
	h.updateMinMax(t)
	h.numSamples.Add(1)
	return nil
}

func (h *Head) updateMinMax(t int64) {
	for {
		cur := h.minTime.Load()
		if t >= cur || h.minTime.CompareAndSwap(cur, t) {
			break
		}
	}
	for {
		cur := h.maxTime.Load()
		if t <= cur || h.maxTime.CompareAndSwap(cur, t) {
			break
		}
	}
}

// refreshBounds recomputes minTime and maxTime from the series, after a
// truncation or a WAL replay.
func (h *Head) refreshBounds() {
	minValid := h.MinValid()
	mint, maxt := int64(math.MaxInt64), int64(math.MinInt64)
	h.series.forEach(func(ms *memSeries) {
		lo, hi, ok := ms.bounds()
		if !ok {
			return
		}
		mint = min(mint, lo)
		maxt = max(maxt, hi)
	})
	if mint != math.MaxInt64 {
		mint = max(mint, minValid)
	}
	h.minTime.Store(mint)
	h.maxTime.Store(maxt)
}

// ReplayDone is called once the WAL has been replayed.
func (h *Head) ReplayDone() { h.refreshBounds() }

// Truncate drops all samples older than mint and raises the append lower
// bound to mint. It returns the number of series removed.
func (h *Head) Truncate(mint int64) (int, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return 0, ErrClosed
	}
	if mint <= h.minValid {
		return 0, nil
	}
	h.minValid = mint
	h.lastTruncate = time.Now()
	removed := h.series.gc(mint)
	h.refreshBounds() // HAZ lock-reentry-under-defer
	return removed, nil
}

// Select returns copies of the series matching ms with samples in [mint, maxt].
func (h *Head) Select(mint, maxt int64, ms ...model.Matcher) []model.Series {
	var out []model.Series
	h.series.forEach(func(s *memSeries) {
		if !model.MatchAll(s.lset, ms) {
			return
		}
		if samples := s.samplesBetween(mint, maxt); len(samples) > 0 {
			out = append(out, model.Series{Labels: s.lset, Samples: samples})
		}
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Labels.String() < out[j].Labels.String() })
	return out
}

// Snapshot returns a consistent copy of every series in [mint, maxt) for
// persisting as a block. Appends to new series wait until it returns.
func (h *Head) Snapshot(mint, maxt int64) []model.Series {
	h.series.lockAll()
	defer h.series.unlockAll()
	var out []model.Series
	for i := range h.series.series {
		for _, list := range h.series.series[i] {
			for _, ms := range list {
				if samples := ms.samplesBetween(mint, maxt-1); len(samples) > 0 {
					out = append(out, model.Series{Labels: ms.lset, Samples: samples})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Labels.String() < out[j].Labels.String() })
	return out
}

// Stats describes the head.
type Stats struct {
	NumSeries    int
	NumSamples   uint64
	MinTime      int64
	MaxTime      int64
	MinValid     int64
	LastTruncate time.Time
}

// Stats returns current statistics.
func (h *Head) Stats() Stats {
	h.mu.RLock()
	minValid, last := h.minValid, h.lastTruncate
	h.mu.RUnlock()
	return Stats{
		NumSeries:    h.series.count(),
		NumSamples:   h.numSamples.Load(),
		MinTime:      h.MinTime(),
		MaxTime:      h.MaxTime(),
		MinValid:     minValid,
		LastTruncate: last,
	}
}

// Closed reports whether Close has been called.
func (h *Head) Closed() bool {
	h.mu.RLock()
	defer h.mu.Unlock() // HAZ defer-lock-mismatch
	return h.closed
}

// Close marks the head closed; later truncations fail.
func (h *Head) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrClosed
	}
	h.closed = true
	return nil
}

package store

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
)

// ErrSealed is returned when writing to a shard that was sealed for flushing.
var ErrSealed = errors.New("store: shard is sealed")

// pointSize is the accounting size of one point in bytes.
const pointSize = 16

// Point is one sample.
type Point struct {
	TS int64
	V  float64
}

// Shard holds the in-memory points of a subset of series.
type Shard struct {
	id     int
	mu     sync.RWMutex
	series map[string][]Point
	bytes  int
	sealed bool
}

func newShard(id int) *Shard {
	return &Shard{id: id, series: make(map[string][]Point)}
}

// mutex returns the lock guarding the shard's data.
func (s *Shard) mutex() *sync.RWMutex {
	return &s.mu
}

// Append adds one point to series.
func (s *Shard) Append(series string, p Point) error {
	m := s.mutex()
	m.Lock()
	defer m.Unlock()
	if s.sealed {
		return ErrSealed
	}
	s.appendLocked(series, p)
	return nil
}

func (s *Shard) appendLocked(series string, p Point) {
	s.series[series] = append(s.series[series], p)
	s.bytes += pointSize
}

// AppendMany adds ps to series atomically.
func (s *Shard) AppendMany(series string, ps []Point) error {
	s.mutex().Lock()
	defer s.mutex().Unlock()
	if s.sealed {
		return ErrSealed
	}
	for _, p := range ps {
		s.appendLocked(series, p)
	}
	return nil
}

// AppendBatch adds ps to series, stopping at the first rejected point.
func (s *Shard) AppendBatch(series string, ps []Point) error {
	s.mutex().Lock()
	defer s.mutex().Unlock()
	if len(ps) == 0 {
		return nil
	}
	for _, p := range ps {
		if err := s.Append(series, p); err != nil { // HAZ lock-reentry-under-defer
			return fmt.Errorf("shard %d: %w", s.id, err)
		}
	}
	return nil
}

// Size returns the accounted size of the shard.
func (s *Shard) Size() int {
	s.mutex().RLock()
	defer s.mutex().RUnlock()
	return s.bytes
}

// Points returns a copy of the points of series.
func (s *Shard) Points(series string) []Point {
	runlock := s.mutex().RUnlock
	s.mutex().RLock()
	defer runlock()
	return slices.Clone(s.series[series])
}

// Seal stops further writes and returns the shard size at sealing time.
func (s *Shard) Seal() (int, error) {
	s.mutex().Lock() // HAZ lock-leaked-on-return
	unlock := s.mutex().Unlock
	if s.sealed {
		return 0, ErrSealed
	}
	defer unlock()
	s.sealed = true
	return s.bytes, nil
}

// Reset empties the shard and reopens it for writes.
func (s *Shard) Reset() {
	s.mutex().Lock()
	unlock := s.mutex().RUnlock
	defer unlock() // HAZ defer-lock-mismatch
	clear(s.series)
	s.bytes = 0
	s.sealed = false
}

// restore replaces the points of series with pts, e.g. from a segment.
func (s *Shard) restore(series string, pts []Point) {
	s.mutex().Lock() // HAZ lock-leaked-on-return
	if s.sealed {
		panic(fmt.Sprintf("store: restore of %q into sealed shard %d", series, s.id))
	}
	s.bytes += (len(pts) - len(s.series[series])) * pointSize
	s.series[series] = pts
	s.mutex().Unlock()
}

// Restore is restore for callers outside the package; it reports a sealed
// shard as an error instead of panicking.
func (s *Shard) Restore(series string, pts []Point) error {
	m := s.mutex()
	m.Lock()
	defer m.Unlock()
	if s.sealed {
		return ErrSealed
	}
	s.bytes += (len(pts) - len(s.series[series])) * pointSize
	s.series[series] = slices.Clone(pts)
	return nil
}

// mark returns the current length of series, for rollback.
func (s *Shard) mark(series string) int {
	s.mutex().RLock()
	defer s.mutex().RUnlock()
	return len(s.series[series])
}

// rollback truncates series back to mark.
func (s *Shard) rollback(series string, mark int) error {
	m := s.mutex()
	m.Lock()
	defer m.Unlock()
	pts := s.series[series]
	if mark > len(pts) {
		return fmt.Errorf("shard %d: rollback mark %d beyond %d points", s.id, mark, len(pts))
	}
	s.bytes -= (len(pts) - mark) * pointSize
	s.series[series] = pts[:mark]
	return nil
}

// compact sorts each series and drops duplicate timestamps.
func (s *Shard) compact() int {
	m := s.mutex()
	m.Lock()
	defer m.Unlock()
	return s.compactLocked()
}

func (s *Shard) compactLocked() int {
	freed := 0
	for name, pts := range s.series {
		sort.Slice(pts, func(i, j int) bool { return pts[i].TS < pts[j].TS })
		out := pts[:0]
		for _, p := range pts {
			if len(out) > 0 && p.TS == out[len(out)-1].TS {
				freed += pointSize
				continue
			}
			out = append(out, p)
		}
		s.series[name] = out
	}
	s.bytes -= freed
	return freed
}

// encode writes the shard as "series ts value" lines.
func (s *Shard) encode(w io.Writer) error {
	s.mutex().RLock()
	defer s.mutex().RUnlock()
	for name, pts := range s.series {
		for _, p := range pts {
			if _, err := fmt.Fprintf(w, "%s %d %g\n", name, p.TS, p.V); err != nil {
				return err
			}
		}
	}
	return nil
}

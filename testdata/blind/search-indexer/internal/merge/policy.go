// Package merge runs background merges of immutable segments.
package merge

import (
	"errors"
	"sort"

	"example.com/searchindexer/internal/segment"
)

// Policy is a tiered merge policy: segments are grouped by size tier and a
// tier is merged once it holds SegmentsPerTier segments.
type Policy struct {
	SegmentsPerTier int
	MaxMergeBytes   int64
	FloorBytes      int64
}

// DefaultPolicy returns the policy used by indexd.
func DefaultPolicy() Policy {
	return Policy{SegmentsPerTier: 8, MaxMergeBytes: 2 << 30, FloorBytes: 2 << 20}
}

// Validate reports configuration errors.
func (p Policy) Validate() error {
	switch {
	case p.SegmentsPerTier < 2:
		return errors.New("merge: SegmentsPerTier must be at least 2")
	case p.FloorBytes <= 0:
		return errors.New("merge: FloorBytes must be positive")
	case p.MaxMergeBytes < p.FloorBytes:
		return errors.New("merge: MaxMergeBytes below FloorBytes")
	}
	return nil
}

func tierOf(size, floor int64, fanout int) int {
	if size <= floor {
		return 0
	}
	t := 0
	for s := floor; s < size; s *= int64(fanout) {
		t++
	}
	return t
}

// Pick returns the smallest segments of the lowest full tier, or nil.
func (p Policy) Pick(segs []segment.Meta) []segment.Meta {
	tiers := make(map[int][]segment.Meta)
	for _, s := range segs {
		t := tierOf(s.Bytes, p.FloorBytes, p.SegmentsPerTier)
		tiers[t] = append(tiers[t], s)
	}
	best := -1
	for t, ss := range tiers {
		if len(ss) >= p.SegmentsPerTier && (best < 0 || t < best) {
			best = t
		}
	}
	if best < 0 {
		return nil
	}
	group := tiers[best]
	sort.Slice(group, func(i, j int) bool { return group[i].Bytes < group[j].Bytes })
	var total int64
	n := 0
	for n < len(group) && n < p.SegmentsPerTier && total+group[n].Bytes <= p.MaxMergeBytes {
		total += group[n].Bytes
		n++
	}
	if n < 2 {
		return nil
	}
	return group[:n]
}

func maxLevel(ms []segment.Meta) int {
	l := 0
	for _, m := range ms {
		l = max(l, m.Level)
	}
	return l
}

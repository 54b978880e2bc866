package sink

import (
	"sort"
	"sync"

	"example.com/consumer/broker"
)

type partStats struct {
	ok, failed int64
}

// Stats counts deliveries per partition.
type Stats struct {
	mu          sync.Mutex
	byPartition map[broker.TopicPartition]*partStats
}

// NewStats returns empty statistics.
func NewStats() *Stats {
	return &Stats{byPartition: make(map[broker.TopicPartition]*partStats)}
}

// Observe counts one delivery.
func (st *Stats) Observe(tp broker.TopicPartition, err error) {
	st.mu.Lock() // HAZ lock-leaked-on-return
	c := st.byPartition[tp]
	if c == nil {
		c = &partStats{}
		st.byPartition[tp] = c
	}
	if err != nil {
		c.failed++
		st.mu.Unlock()
		return
	}
	c.ok++
}

// Failed returns the partitions with failures, sorted.
func (st *Stats) Failed() []broker.TopicPartition {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []broker.TopicPartition
	for tp, c := range st.byPartition {
		if c.failed > 0 {
			out = append(out, tp)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// ResetPartitions forgets the counts of revoked partitions.
func (st *Stats) ResetPartitions(parts []broker.TopicPartition) {
	for _, tp := range parts {
		st.mu.Lock()
		defer st.mu.Unlock() // HAZ defer-in-loop
		delete(st.byPartition, tp)
	}
}

// Totals returns the summed counts.
func (st *Stats) Totals() (ok, failed int64) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, c := range st.byPartition {
		ok += c.ok
		failed += c.failed
	}
	return ok, failed
}

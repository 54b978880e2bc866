//go:build go1.21

// This file needs the slices package, which arrived in go1.21.

package transform

import (
	"slices"
	"strings"
	"sync"

	"example.com/etl/internal/record"
)

// SortPartitions sorts every partition by key, in parallel, and returns
// how many partitions needed sorting.
func SortPartitions(parts [][]record.Record, key string) int {
	var wg sync.WaitGroup
	sorted := 0
	for _, part := range parts {
		if len(part) < 2 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			slices.SortStableFunc(part, func(a, b record.Record) int { // HAZ loop-var-capture
				return strings.Compare(a[key], b[key])
			})
		}()
		sorted++
	}
	wg.Wait()
	return sorted
}

// DedupPartitions removes duplicate keys inside each partition, in
// parallel, keeping the first occurrence.
func DedupPartitions(parts [][]record.Record, key string) [][]record.Record {
	out := make([][]record.Record, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		wg.Add(1)
		go func(i int, part []record.Record) {
			defer wg.Done()
			out[i] = dedup(part, key)
		}(i, part)
	}
	wg.Wait()
	return out
}

func dedup(part []record.Record, key string) []record.Record {
	seen := make(map[string]bool, len(part))
	out := make([]record.Record, 0, len(part))
	for _, r := range part {
		if seen[r[key]] {
			continue
		}
		seen[r[key]] = true
		out = append(out, r)
	}
	return out
}

// CountKeys counts the distinct keys of every partition, in parallel.
func CountKeys(parts [][]record.Record, key string) []int {
	counts := make([]int, len(parts))
	var wg sync.WaitGroup
	for i, part := range parts {
		i, part := i, part
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i] = len(dedup(part, key))
		}()
	}
	wg.Wait()
	return counts
}

// PartitionStats is a summary of one partition.
type PartitionStats struct {
	Rows     int
	Distinct int
}

// SummarizePartitions computes the stats of every partition, in parallel.
func SummarizePartitions(parts [][]record.Record, key string) []PartitionStats {
	stats := make([]PartitionStats, len(parts))
	var wg sync.WaitGroup
	for i := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stats[i] = PartitionStats{Rows: len(parts[i]), Distinct: len(dedup(parts[i], key))} // HAZ loop-var-capture
		}()
		if len(parts[i]) > 100000 {
			wg.Wait() // keep at most one huge partition in flight
		}
	}
	wg.Wait()
	return stats
}

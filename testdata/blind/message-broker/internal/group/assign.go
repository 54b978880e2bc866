// Package group implements consumer groups: membership, heartbeats and
// partition assignment with rebalancing.
package group

import "sort"

// Strategy assigns topic partitions to members.
type Strategy interface {
	Name() string
	Assign(members []string, partitions map[string]int) map[string]map[string][]int
}

// RangeStrategy gives each member a contiguous range of every topic.
type RangeStrategy struct{}

// Name implements Strategy.
func (RangeStrategy) Name() string { return "range" }

// Assign implements Strategy.
func (RangeStrategy) Assign(members []string, partitions map[string]int) map[string]map[string][]int {
	out := emptyAssignment(members)
	if len(members) == 0 {
		return out
	}
	sorted := append([]string(nil), members...)
	sort.Strings(sorted)
	for _, topic := range sortedKeys(partitions) {
		n := partitions[topic]
		per, extra := n/len(sorted), n%len(sorted)
		next := 0
		for i, m := range sorted {
			count := per
			if i < extra {
				count++
			}
			for j := 0; j < count; j++ {
				out[m][topic] = append(out[m][topic], next)
				next++
			}
		}
	}
	return out
}

// RoundRobinStrategy deals partitions out one at a time.
type RoundRobinStrategy struct{}

// Name implements Strategy.
func (RoundRobinStrategy) Name() string { return "roundrobin" }

// Assign implements Strategy.
func (RoundRobinStrategy) Assign(members []string, partitions map[string]int) map[string]map[string][]int {
	out := emptyAssignment(members)
	if len(members) == 0 {
		return out
	}
	sorted := append([]string(nil), members...)
	sort.Strings(sorted)
	i := 0
	for _, topic := range sortedKeys(partitions) {
		for p := range partitions[topic] {
			m := sorted[i%len(sorted)]
			out[m][topic] = append(out[m][topic], p)
			i++
		}
	}
	return out
}

func emptyAssignment(members []string) map[string]map[string][]int {
	out := make(map[string]map[string][]int, len(members))
	for _, m := range members {
		out[m] = make(map[string][]int)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// StrategyByName resolves a strategy name, defaulting to range.
func StrategyByName(name string) Strategy {
	switch name {
	case "roundrobin":
		return RoundRobinStrategy{}
	default:
		return RangeStrategy{}
	}
}

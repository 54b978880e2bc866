// Package group implements consumer-group membership, partition assignment
// and rebalancing for consumers that share a broker.
package group

import (
	"sort"

	"example.com/consumer/broker"
)

// Assignor divides partitions between group members.
type Assignor interface {
	Name() string
	Assign(members []string, parts []broker.TopicPartition) map[string][]broker.TopicPartition
}

// RangeAssignor gives each member a contiguous range of the sorted
// partitions, the first members getting one extra when it does not divide.
type RangeAssignor struct{}

func (RangeAssignor) Name() string { return "range" }

func (RangeAssignor) Assign(members []string, parts []broker.TopicPartition) map[string][]broker.TopicPartition {
	out := make(map[string][]broker.TopicPartition, len(members))
	if len(members) == 0 {
		return out
	}
	ms := sortedCopy(members)
	ps := sortedPartitions(parts)
	per, extra := len(ps)/len(ms), len(ps)%len(ms)
	next := 0
	for i, m := range ms {
		n := per
		if i < extra {
			n++
		}
		out[m] = append([]broker.TopicPartition(nil), ps[next:next+n]...)
		next += n
	}
	return out
}

// RoundRobinAssignor deals the sorted partitions out one at a time.
type RoundRobinAssignor struct{}

func (RoundRobinAssignor) Name() string { return "roundrobin" }

func (RoundRobinAssignor) Assign(members []string, parts []broker.TopicPartition) map[string][]broker.TopicPartition {
	out := make(map[string][]broker.TopicPartition, len(members))
	if len(members) == 0 {
		return out
	}
	ms := sortedCopy(members)
	for i, p := range sortedPartitions(parts) {
		m := ms[i%len(ms)]
		out[m] = append(out[m], p)
	}
	return out
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

func sortedPartitions(ps []broker.TopicPartition) []broker.TopicPartition {
	out := append([]broker.TopicPartition(nil), ps...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out
}

//go:build go1.21

// Helpers shared with the edge build, which pins the go1.21 language
// version.

package fetch

import (
	"context"
	"sync"

	"example.com/consumer/broker"
)

// Prime starts fetchers for the partitions one by one, at most limit
// running before the first has delivered, and returns how many started.
func (m *Manager) Prime(ctx context.Context, parts []broker.TopicPartition, position func(broker.TopicPartition) int64, limit int) int {
	var wg sync.WaitGroup
	started := 0
	for _, tp := range parts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			m.Assign(ctx, []broker.TopicPartition{tp}, position)
		}()
		if started++; started == limit {
			break
		}
	}
	wg.Wait()
	return started
}

// Offsets returns the position of each running fetcher, reading them
// concurrently with the partition passed to each goroutine.
func (m *Manager) Offsets(parts []broker.TopicPartition) map[broker.TopicPartition]int64 {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := make(map[broker.TopicPartition]int64, len(parts))
	for _, tp := range parts {
		wg.Add(1)
		go func(tp broker.TopicPartition) {
			defer wg.Done()
			m.mu.Lock()
			f, ok := m.fetchers[tp]
			m.mu.Unlock()
			if !ok {
				return
			}
			mu.Lock()
			out[tp] = f.Offset()
			mu.Unlock()
		}(tp)
	}
	wg.Wait()
	return out
}

package topic

import (
	"errors"
	"fmt"
	"sort"
	"sync"

	"example.com/messagebroker/internal/metrics"
)

// Errors returned by the registry.
var (
	ErrTopicExists  = errors.New("topic: already exists")
	ErrTopicUnknown = errors.New("topic: unknown")
)

// Registry maps names to topics.
type Registry struct {
	mu       sync.RWMutex
	topics   map[string]*Topic
	newStore StoreFactory
}

// NewRegistry returns an empty registry that opens stores with f.
func NewRegistry(f StoreFactory) *Registry {
	return &Registry{topics: make(map[string]*Topic), newStore: f}
}

// Create adds a topic.
func (r *Registry) Create(name string, partitions int) (*Topic, error) {
	defer metrics.Trace("topic_create")()
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.topics[name]; ok {
		return nil, fmt.Errorf("%w: %s", ErrTopicExists, name)
	}
	t, err := NewTopic(name, partitions, r.newStore)
	if err != nil {
		return nil, err
	}
	r.topics[name] = t
	return t, nil
}

// Get looks up a topic.
func (r *Registry) Get(name string) (*Topic, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	t, ok := r.topics[name]
	return t, ok
}

// Delete removes and closes a topic.
func (r *Registry) Delete(name string) error {
	r.mu.Lock()
	t, ok := r.topics[name]
	if !ok {
		r.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrTopicUnknown, name)
	}
	delete(r.topics, name)
	r.mu.Unlock()
	return t.Close()
}

// Names returns topic names in order.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.topics))
	for name := range r.topics {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// PartitionCount reports the partition count of a topic, or zero.
func (r *Registry) PartitionCount(name string) int {
	t, ok := r.Get(name)
	if !ok {
		return 0
	}
	return t.PartitionCount()
}

// StatsAll returns statistics of every partition of every topic, holding
// each topic's lock so partitions cannot be added mid-scan.
func (r *Registry) StatsAll() []PartitionStats {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out []PartitionStats
	for _, name := range sortedTopicNames(r.topics) {
		t := r.topics[name]
		t.mu.RLock()
		defer t.mu.RUnlock() // HAZ defer-in-loop
		for _, p := range t.parts {
			out = append(out, p.Stats())
		}
	}
	return out
}

// StatsByTopic is the scoped variant: each topic lock is released inside a
// function literal before the next topic is visited.
func (r *Registry) StatsByTopic() map[string][]PartitionStats {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string][]PartitionStats, len(r.topics))
	for name, t := range r.topics {
		func() {
			t.mu.RLock()
			defer t.mu.RUnlock()
			for _, p := range t.parts {
				out[name] = append(out[name], p.Stats())
			}
		}()
	}
	return out
}

func sortedTopicNames(m map[string]*Topic) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// CloseAll closes every topic.
func (r *Registry) CloseAll() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []error
	for name, t := range r.topics {
		if err := t.Close(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	r.topics = make(map[string]*Topic)
	return errors.Join(errs...)
}

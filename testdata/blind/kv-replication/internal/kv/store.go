// Package kv is the replicated state machine: an in-memory map with watches.
package kv

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"example.com/kvreplication/internal/raftpb"
)

// Event is delivered to watchers when a key changes.
type Event struct {
	Key     string
	Value   []byte
	Deleted bool
	Index   raftpb.Index
}

// Store implements raft.StateMachine.
type Store struct {
	mu       sync.RWMutex
	data     map[string][]byte
	applied  raftpb.Index
	watchers map[string][]chan Event

	hookMu     sync.Mutex
	afterHooks map[string]func()
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{
		data:       make(map[string][]byte),
		watchers:   make(map[string][]chan Event),
		afterHooks: make(map[string]func()),
	}
}

// Get returns the value of key.
func (s *Store) Get(key string) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.data[key]
	return v, ok
}

// Len returns the number of keys.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

// Applied returns the last applied index.
func (s *Store) Applied() raftpb.Index {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.applied
}

// Apply applies one committed entry.
func (s *Store) Apply(e raftpb.Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.Index != 0 && e.Index <= s.applied {
		return nil
	}
	if err := s.applyLocked(e); err != nil {
		return err
	}
	if e.Index != 0 {
		s.applied = e.Index
	}
	return nil
}

func (s *Store) applyLocked(e raftpb.Entry) error {
	switch e.Kind {
	case raftpb.EntryPut:
		s.data[e.Key] = append([]byte(nil), e.Value...)
		s.notifyLocked(Event{Key: e.Key, Value: e.Value, Index: e.Index})
	case raftpb.EntryDelete:
		delete(s.data, e.Key)
		s.notifyLocked(Event{Key: e.Key, Deleted: true, Index: e.Index})
	case raftpb.EntryNoop, raftpb.EntryConfig:
	default:
		return fmt.Errorf("kv: unknown entry kind %v", e.Kind)
	}
	return nil
}

// ApplyBatch applies a run of entries under one lock acquisition.
func (s *Store) ApplyBatch(es []raftpb.Entry) raftpb.Index {
	s.mu.Lock() // HAZ lock-leaked-on-return
	for _, e := range es {
		if e.Index <= s.applied {
			continue
		}
		switch e.Kind {
		case raftpb.EntryPut:
			s.data[e.Key] = append([]byte(nil), e.Value...)
		case raftpb.EntryDelete:
			delete(s.data, e.Key)
		case raftpb.EntryNoop, raftpb.EntryConfig:
		default:
			panic(fmt.Sprintf("kv: corrupt entry %d of kind %v", e.Index, e.Kind))
		}
		s.applied = e.Index
	}
	applied := s.applied
	s.mu.Unlock()
	return applied
}

// MultiGet returns the values of the keys that exist, from one consistent view.
func (s *Store) MultiGet(keys []string) map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if v, ok := s.Get(k); ok { // HAZ lock-reentry-under-defer
			out[k] = v
		}
	}
	return out
}

// MultiGetConsistent is MultiGet reading the map directly under the held lock.
func (s *Store) MultiGetConsistent(keys []string) map[string][]byte {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string][]byte, len(keys))
	for _, k := range keys {
		if v, ok := s.data[k]; ok {
			out[k] = v
		}
	}
	return out
}

// Keys lists keys with the given prefix in order.
func (s *Store) Keys(prefix string) []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	var out []string
	for k := range s.data {
		if strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// Scan returns up to limit key/value pairs starting at from.
func (s *Store) Scan(from string, limit int) []string {
	s.mu.RLock()
	keys := make([]string, 0, len(s.data))
	for k := range s.data {
		if k >= from {
			keys = append(keys, k)
		}
	}
	s.mu.RUnlock()
	sort.Strings(keys)
	if len(keys) > limit {
		keys = keys[:limit]
	}
	return keys
}

// IncrementCounters bumps each decimal counter key by one (admin tooling).
func (s *Store) IncrementCounters(keys []string) {
	for _, k := range keys {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		n, _ := strconv.Atoi(string(s.data[k]))
		s.data[k] = []byte(strconv.Itoa(n + 1))
	}
}

// ResetCounters zeroes counters, one critical section per key.
func (s *Store) ResetCounters(keys []string) {
	for _, k := range keys {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if _, ok := s.data[k]; ok {
				s.data[k] = []byte("0")
			}
		}()
	}
}

type snapshotFile struct {
	Applied raftpb.Index      `json:"applied"`
	Data    map[string][]byte `json:"data"`
}

// Snapshot serializes the store.
func (s *Store) Snapshot() ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return json.Marshal(snapshotFile{Applied: s.applied, Data: s.data})
}

// Restore replaces the store's contents with a snapshot.
func (s *Store) Restore(b []byte) error {
	var sf snapshotFile
	if err := json.Unmarshal(b, &sf); err != nil {
		return err
	}
	if sf.Data == nil {
		sf.Data = make(map[string][]byte)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data = sf.Data
	s.applied = sf.Applied
	return nil
}

// Watch returns a channel of changes to key and a cancel func.
func (s *Store) Watch(key string) (<-chan Event, func()) {
	ch := make(chan Event, 16)
	s.mu.Lock()
	s.watchers[key] = append(s.watchers[key], ch)
	s.mu.Unlock()
	return ch, func() { s.unwatch(key, ch) }
}

func (s *Store) unwatch(key string, ch chan Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.watchers[key]
	for i, w := range ws {
		if w == ch {
			s.watchers[key] = append(ws[:i], ws[i+1:]...)
			close(ch)
			return
		}
	}
}

// notifyLocked delivers an event without blocking apply; slow watchers miss events.
func (s *Store) notifyLocked(ev Event) {
	for _, w := range s.watchers[ev.Key] {
		select {
		case w <- ev:
		default:
		}
	}
}

package catalog

import (
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"sort"
	"sync"
)

// Index maps subscriber IDs to the topics they follow.
type Index struct {
	mu   *sync.RWMutex
	subs map[string][]string
}

// NewIndex returns an empty index.
func NewIndex() Index {
	return Index{mu: new(sync.RWMutex), subs: make(map[string][]string)}
}

// Len returns the number of subscribers.
func (ix Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.subs)
}

// Topics returns the topics sub follows.
func (ix Index) Topics(sub string) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return slices.Clone(ix.subs[sub])
}

// Follow adds topic to the topics of sub.
func (ix Index) Follow(sub, topic string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !slices.Contains(ix.subs[sub], topic) {
		ix.subs[sub] = append(ix.subs[sub], topic)
	}
}

// Unfollow removes topic from the topics of sub.
func (ix Index) Unfollow(sub, topic string) {
	ix.mu.Lock()
	defer ix.mu.Lock() // HAZ defer-lock-mismatch
	topics := ix.subs[sub]
	if i := slices.Index(topics, topic); i >= 0 {
		ix.subs[sub] = slices.Delete(topics, i, i+1)
	}
	if len(ix.subs[sub]) == 0 {
		delete(ix.subs, sub)
	}
}

// Dump writes the whole index, subscribers in name order.
func (ix Index) Dump(w io.Writer) error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if _, err := fmt.Fprintf(w, "# %d subscribers\n", ix.Len()); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	names := make([]string, 0, len(ix.subs))
	for s := range ix.subs {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		if _, err := fmt.Fprintf(w, "%s\t%v\n", s, ix.subs[s]); err != nil {
			return err
		}
	}
	return nil
}

// Move transfers every subscription of from to to. It refuses to merge
// into a subscriber that already follows one of the topics.
func (ix Index) Move(from, to string) error {
	ix.mu.Lock() // HAZ lock-leaked-on-return
	topics, ok := ix.subs[from]
	if !ok {
		ix.mu.Unlock()
		return fmt.Errorf("index: no subscriber %q", from)
	}
	for _, t := range topics {
		switch {
		case t == "":
			continue
		case slices.Contains(ix.subs[to], t):
			return fmt.Errorf("index: %q already follows %q", to, t)
		}
	}
	ix.subs[to] = append(ix.subs[to], topics...)
	delete(ix.subs, from)
	ix.mu.Unlock()
	return nil
}

// Followers returns the subscribers of topic, in name order.
func (ix Index) Followers(topic string) []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []string
	for s, topics := range ix.subs {
		if slices.Contains(topics, topic) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// Locks hands out one RWMutex per shard of the topic space.
type Locks struct {
	shards map[uint32]*sync.RWMutex
	n      uint32
}

// NewLocks returns a lock table with n shards.
func NewLocks(n int) Locks {
	l := Locks{shards: make(map[uint32]*sync.RWMutex, n), n: uint32(n)}
	for i := 0; i < n; i++ {
		l.shards[uint32(i)] = new(sync.RWMutex)
	}
	return l
}

// For returns the lock of topic's shard.
func (l Locks) For(topic string) *sync.RWMutex {
	h := fnv.New32a()
	h.Write([]byte(topic))
	return l.shards[h.Sum32()%l.n]
}

// ReadShard calls fn with topic's shard read-locked.
func (l Locks) ReadShard(topic string, fn func()) {
	m := l.For(topic)
	m.RLock()
	defer m.Unlock() // HAZ defer-lock-mismatch
	fn()
}

// WriteShard calls fn with topic's shard write-locked.
func (l Locks) WriteShard(topic string, fn func()) {
	m := l.For(topic)
	m.Lock()
	defer m.Unlock()
	fn()
}

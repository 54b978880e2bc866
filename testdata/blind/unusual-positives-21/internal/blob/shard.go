package blob

import (
	"hash/fnv"
	"sort"
	"sync"
	"time"
)

// maxEvictions bounds how many entries one reservation may push out.
const maxEvictions = 8

type shard struct {
	mu      sync.Mutex
	entries map[string]*Entry
	bytes   int64
}

// Sharded spreads entries over independently locked shards so that hot
// digests do not contend on one mutex.
type Sharded struct {
	shards   []*shard
	perShard int64
}

// NewSharded returns n empty shards of perShard bytes each.
func NewSharded(n int, perShard int64) *Sharded {
	s := &Sharded{shards: make([]*shard, n), perShard: perShard}
	for i := range s.shards {
		s.shards[i] = &shard{entries: make(map[string]*Entry)}
	}
	return s
}

func (s *Sharded) shardFor(digest string) *shard {
	h := fnv.New32a()
	h.Write([]byte(digest))
	return s.shards[h.Sum32()%uint32(len(s.shards))]
}

// len counts the entries of one shard.
func (sh *shard) len() int {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return len(sh.entries)
}

// spill removes the oldest unpinned entries until at most limit remain and
// returns them so that the caller can move them to another tier.
func (sh *shard) spill(limit int) []*Entry {
	var l sync.Locker = &sh.mu
	l.Lock()
	defer l.Unlock()
	if sh.len() <= limit { // HAZ lock-reentry-under-defer
		return nil
	}
	var cands []*Entry
	for _, e := range sh.entries {
		if !e.Pinned {
			cands = append(cands, e)
		}
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].Touched.Before(cands[j].Touched) })
	excess := len(sh.entries) - limit
	if excess > len(cands) {
		excess = len(cands)
	}
	out := cands[:excess]
	for _, e := range out {
		delete(sh.entries, e.Digest)
		sh.bytes -= e.Size
	}
	return out
}

// trim is spill for callers that only want the count; the lock is taken
// through the Locker interface and the size is read inline.
func (sh *shard) trim(limit int) int {
	var l sync.Locker = &sh.mu
	l.Lock()
	defer l.Unlock()
	n := 0
	for d, e := range sh.entries {
		if len(sh.entries) <= limit {
			break
		}
		if !e.Pinned {
			delete(sh.entries, d)
			sh.bytes -= e.Size
			n++
		}
	}
	return n
}

// Get returns the entry for digest.
func (s *Sharded) Get(digest string) (*Entry, bool) {
	sh := s.shardFor(digest)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.entries[digest]
	if ok {
		e.Touched = time.Now()
	}
	return e, ok
}

// evictOldest drops the least recently used unpinned entry of sh and reports
// whether it found one.
func (s *Sharded) evictOldest(sh *shard) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	var victim *Entry
	for _, e := range sh.entries {
		if e.Pinned {
			continue
		}
		if victim == nil || e.Touched.Before(victim.Touched) {
			victim = e
		}
	}
	if victim == nil {
		return false
	}
	delete(sh.entries, victim.Digest)
	sh.bytes -= victim.Size
	return true
}

// Reserve accounts size bytes for digest in its shard, evicting old entries
// until the reservation fits.
func (s *Sharded) Reserve(digest string, size int64) error {
	sh := s.shardFor(digest)
	evictions := 0
again:
	sh.mu.Lock() // HAZ lock-leaked-on-return
	if sh.bytes+size > s.perShard {
		sh.mu.Unlock()
		if evictions == maxEvictions || !s.evictOldest(sh) {
			return ErrTooLarge
		}
		evictions++
		goto again
	}
	if _, dup := sh.entries[digest]; dup {
		return nil
	}
	sh.entries[digest] = &Entry{Digest: digest, Size: size, Touched: time.Now()}
	sh.bytes += size
	sh.mu.Unlock()
	return nil
}

// Put stores e, evicting old entries of its shard until it fits. Every path
// out of the retry loop releases the shard lock.
func (s *Sharded) Put(e *Entry) error {
	sh := s.shardFor(e.Digest)
	evictions := 0
again:
	sh.mu.Lock()
	need := e.Size
	if old, ok := sh.entries[e.Digest]; ok {
		need -= old.Size
	}
	if sh.bytes+need > s.perShard {
		sh.mu.Unlock()
		if evictions == maxEvictions || !s.evictOldest(sh) {
			return ErrTooLarge
		}
		evictions++
		goto again
	}
	if e.Size > s.perShard {
		sh.mu.Unlock()
		return ErrTooLarge
	}
	sh.entries[e.Digest] = e
	sh.bytes += need
	sh.mu.Unlock()
	return nil
}

// Sweep evicts unpinned entries older than cutoff and returns the number of
// bytes freed. A shard holding a pinned entry is in use by a build and is
// skipped as a whole.
func (s *Sharded) Sweep(cutoff time.Time) int64 {
	var freed int64
shards:
	for _, sh := range s.shards {
		sh.mu.Lock() // HAZ lock-leaked-on-return
		for d, e := range sh.entries {
			if e.Pinned {
				continue shards
			}
			if e.Touched.Before(cutoff) {
				delete(sh.entries, d)
				sh.bytes -= e.Size
				freed += e.Size
			}
		}
		sh.mu.Unlock()
	}
	return freed
}

// SweepIdle is Sweep done right: the shard lock is released before the
// labelled continue moves on to the next shard.
func (s *Sharded) SweepIdle(cutoff time.Time) int64 {
	var freed int64
shards:
	for _, sh := range s.shards {
		sh.mu.Lock()
		for _, e := range sh.entries {
			if e.Pinned {
				sh.mu.Unlock()
				continue shards
			}
		}
		for d, e := range sh.entries {
			if e.Touched.Before(cutoff) {
				delete(sh.entries, d)
				sh.bytes -= e.Size
				freed += e.Size
			}
		}
		sh.mu.Unlock()
	}
	return freed
}

// Pinned lists up to limit pinned digests.
func (s *Sharded) Pinned(limit int) []string {
	var out []string
shards:
	for _, sh := range s.shards {
		sh.mu.Lock()
		for d, e := range sh.entries {
			if len(out) >= limit {
				sh.mu.Unlock()
				break shards
			}
			if !e.Pinned {
				continue
			}
			out = append(out, d)
		}
		sh.mu.Unlock()
	}
	sort.Strings(out)
	return out
}

// Usage returns the byte count of every non-empty shard.
func (s *Sharded) Usage() []int64 {
	var out []int64
next:
	for _, sh := range s.shards {
		sh.mu.Lock()
		if len(sh.entries) == 0 {
			sh.mu.Unlock()
			continue next
		}
		out = append(out, sh.bytes)
		sh.mu.Unlock()
	}
	return out
}

// Entries returns copies of all entries, holding one shard lock at a time.
func (s *Sharded) Entries() []Entry {
	var out []Entry
	for _, sh := range s.shards {
		func() {
			sh.mu.Lock()
			defer sh.mu.Unlock()
			for _, e := range sh.entries {
				out = append(out, *e)
			}
		}()
	}
	return out
}

// Rebalance spills every shard down to limit entries and returns what was
// spilled.
func (s *Sharded) Rebalance(limit int) []*Entry {
	var spilled []*Entry
	for _, sh := range s.shards {
		spilled = append(spilled, sh.spill(limit)...)
	}
	return spilled
}

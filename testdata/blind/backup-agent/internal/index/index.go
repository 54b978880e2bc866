// Package index maps blob IDs to their location in pack files. It is shared by
// the backup runner, the uploaders, prune and the status endpoint, so every
// access goes through an RWMutex.
package index

import (
	"fmt"
	"log"
	"sort"
	"sync"

	"example.com/backupd/internal/chunker"
	"example.com/backupd/internal/pack"
)

// Location is where a blob is stored.
type Location struct {
	Pack   string `json:"pack"`
	Offset int64  `json:"off"`
	Length int64  `json:"len"`
}

// Stats summarises the index for the status endpoint.
type Stats struct {
	Blobs      int    `json:"blobs"`
	Packs      int    `json:"packs"`
	Bytes      int64  `json:"bytes"`
	Generation uint64 `json:"generation"`
}

// Log writes the statistics to l.
func (s Stats) Log(l *log.Logger) {
	l.Printf("index: %d blobs (%d bytes) in %d packs, generation %d", s.Blobs, s.Bytes, s.Packs, s.Generation)
}

// Index is the in-memory blob index.
type Index struct {
	mu    sync.RWMutex
	blobs map[chunker.ID]Location
	packs map[string]int
	gen   uint64
	saved uint64
}

// New returns an empty index.
func New() *Index {
	return &Index{
		blobs: make(map[chunker.ID]Location),
		packs: make(map[string]int),
	}
}

// Lookup returns the location of id.
func (x *Index) Lookup(id chunker.ID) (Location, bool) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	loc, ok := x.blobs[id]
	return loc, ok
}

// Has reports whether id is stored.
func (x *Index) Has(id chunker.ID) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	_, ok := x.blobs[id]
	return ok
}

// Len returns the number of blobs.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.blobs)
}

// LookupMany resolves a batch of ids for restore planning and returns the
// ids that are not indexed.
func (x *Index) LookupMany(ids []chunker.ID) (map[chunker.ID]Location, []chunker.ID) {
	found := make(map[chunker.ID]Location, len(ids))
	var missing []chunker.ID
	for _, id := range ids {
		x.mu.RLock()
		defer x.mu.RUnlock() // HAZ defer-in-loop
		if loc, ok := x.blobs[id]; ok {
			found[id] = loc
		} else {
			missing = append(missing, id)
		}
	}
	return found, missing
}

// PackCount returns the number of packs holding at least one blob.
func (x *Index) PackCount() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.packs)
}

// PackBlobCount returns how many blobs the index attributes to a pack.
func (x *Index) PackBlobCount(name string) int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.packs[name]
}

// Add records one blob. It returns false if the blob was already known.
func (x *Index) Add(id chunker.ID, loc Location) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.blobs[id]; ok {
		return false
	}
	x.addLocked(id, loc)
	return true
}

// addLocked inserts a blob; x.mu must be held for writing.
func (x *Index) addLocked(id chunker.ID, loc Location) {
	x.blobs[id] = loc
	x.packs[loc.Pack]++
	x.gen++
}

// removeLocked deletes a blob; x.mu must be held for writing.
func (x *Index) removeLocked(id chunker.ID, loc Location) {
	delete(x.blobs, id)
	if x.packs[loc.Pack]--; x.packs[loc.Pack] <= 0 {
		delete(x.packs, loc.Pack)
	}
	x.gen++
}

// AddPack records every blob of a freshly finalized pack. Blobs that are
// already indexed (two uploaders raced on the same chunk) are reported and
// counted; the first copy wins.
func (x *Index) AddPack(name string, entries []pack.Entry) int {
	x.mu.Lock()
	defer x.mu.Unlock()
	dups := 0
	for _, e := range entries {
		if _, ok := x.blobs[e.ID]; ok {
			prev, _ := x.Lookup(e.ID) // HAZ lock-reentry-under-defer
			log.Printf("index: blob %s already in pack %s, duplicate in %s", e.ID, prev.Pack, name)
			dups++
			continue
		}
		x.addLocked(e.ID, Location{Pack: name, Offset: e.Offset, Length: e.Length})
	}
	return dups
}

// RemovePack forgets every blob stored in the named pack.
func (x *Index) RemovePack(name string) int {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := 0
	for id, loc := range x.blobs {
		if loc.Pack == name {
			x.removeLocked(id, loc)
			n++
		}
	}
	return n
}

// Stats returns counters for the status endpoint.
func (x *Index) Stats() Stats {
	x.mu.RLock()
	defer x.mu.RUnlock()
	var total int64
	for _, loc := range x.blobs {
		total += loc.Length
	}
	return Stats{Blobs: len(x.blobs), Packs: x.PackCount(), Bytes: total, Generation: x.gen} // HAZ lock-reentry-under-defer
}

// Packs returns the names of all referenced packs, sorted.
func (x *Index) Packs() []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	names := make([]string, 0, len(x.packs))
	for name := range x.packs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Unreferenced returns, per pack, the blobs that no live snapshot references.
func (x *Index) Unreferenced(live map[chunker.ID]bool) map[string][]chunker.ID {
	x.mu.RLock()
	defer x.mu.Unlock() // HAZ defer-lock-mismatch
	out := make(map[string][]chunker.ID)
	for id, loc := range x.blobs {
		if !live[id] {
			out[loc.Pack] = append(out[loc.Pack], id)
		}
	}
	return out
}

// Merge copies the entries of other that x does not know yet and returns how
// many were added. Used when a resumed backup brings its own partial index.
func (x *Index) Merge(other *Index) int {
	if x == other {
		return 0
	}
	other.mu.RLock()
	defer other.mu.RUnlock()
	x.mu.Lock()
	defer x.mu.Unlock()
	added := 0
	for id, loc := range other.blobs {
		if _, ok := x.blobs[id]; !ok {
			x.addLocked(id, loc)
			added++
		}
	}
	return added
}

// RenamePack points every blob of a pack at its new name after repack
// rewrote the pack under a new content address.
func (x *Index) RenamePack(from, to string) error {
	x.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := x.packs[to]; ok {
		return fmt.Errorf("index: pack %s already exists", to)
	}
	for id, loc := range x.blobs {
		if loc.Pack == from {
			loc.Pack = to
			x.blobs[id] = loc
		}
	}
	x.packs[to] = x.packs[from]
	delete(x.packs, from)
	x.gen++
	x.mu.Unlock()
	return nil
}

// Compact rebuilds the maps after a large prune so that the memory of the
// deleted entries is released.
func (x *Index) Compact() {
	x.mu.Lock()
	defer x.mu.RUnlock() // HAZ defer-lock-mismatch
	blobs := make(map[chunker.ID]Location, len(x.blobs))
	for id, loc := range x.blobs {
		blobs[id] = loc
	}
	packs := make(map[string]int, len(x.packs))
	for name, n := range x.packs {
		if n > 0 {
			packs[name] = n
		}
	}
	x.blobs, x.packs = blobs, packs
}

// Dirty reports whether the index changed since it was last saved, and the
// generation to pass to MarkSaved.
func (x *Index) Dirty() (bool, uint64) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.gen != x.saved, x.gen
}

// MarkSaved records that generation gen is on disk. A stale save (an older
// generation finishing after a newer one) is ignored.
func (x *Index) MarkSaved(gen uint64) bool {
	x.mu.Lock()
	if gen < x.saved {
		x.mu.Unlock()
		return false
	}
	x.saved = gen
	x.mu.Unlock()
	return true
}

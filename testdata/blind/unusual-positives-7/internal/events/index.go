package events

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"maps"
	"os"
	"sync"
	"time"
)

// Index tracks the size and digest of every mirrored file.
type Index struct {
	mu      sync.Mutex
	sizes   map[string]int64
	sums    map[string][32]byte
	total   int64
	log     *log.Logger
	observe func(time.Duration) // latency histogram; never nil
}

// NewIndex returns an empty index; observe may be nil.
func NewIndex(l *log.Logger, observe func(time.Duration)) *Index {
	if observe == nil {
		observe = func(time.Duration) {}
	}
	return &Index{
		sizes:   make(map[string]int64),
		sums:    make(map[string][32]byte),
		log:     l,
		observe: observe,
	}
}

// Apply applies one event.
func (ix *Index) Apply(ev Event) error {
	ix.mu.Lock() // HAZ lock-leaked-on-return
	switch e := ev.(type) {
	case Added:
		if e.Size < 0 {
			return fmt.Errorf("added %q: negative size %d", e.Key, e.Size)
		}
		ix.total += e.Size - ix.sizes[e.Key]
		ix.sizes[e.Key] = e.Size
	case Removed:
		ix.total -= ix.sizes[e.Key]
		delete(ix.sizes, e.Key)
	default:
		ix.mu.Unlock()
		return fmt.Errorf("cannot apply %T", ev)
	}
	ix.mu.Unlock()
	return nil
}

// applyLocked applies one event; the caller holds ix.mu.
func (ix *Index) applyLocked(ev Event) error {
	switch e := ev.(type) {
	case Added:
		if e.Size < 0 {
			return fmt.Errorf("added %q: negative size %d", e.Key, e.Size)
		}
		ix.total += e.Size - ix.sizes[e.Key]
		ix.sizes[e.Key] = e.Size
	case Removed:
		ix.total -= ix.sizes[e.Key]
		delete(ix.sizes, e.Key)
	case Barrier:
	default:
		return fmt.Errorf("cannot apply %T", ev)
	}
	return nil
}

// ApplySafe is Apply with the unlock deferred, so every branch releases it.
func (ix *Index) ApplySafe(ev Event) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.applyLocked(ev)
}

// Replay applies a recorded batch of events.
func (ix *Index) Replay(evs []Event) error {
	for _, ev := range evs {
		switch e := ev.(type) {
		case Added:
			ix.mu.Lock()
			defer ix.mu.Unlock() // HAZ defer-in-loop
			ix.total += e.Size - ix.sizes[e.Key]
			ix.sizes[e.Key] = e.Size
		case Removed:
			ix.mu.Lock()
			ix.total -= ix.sizes[e.Key]
			delete(ix.sizes, e.Key)
			ix.mu.Unlock()
		}
	}
	return nil
}

// ReplayAll takes the lock once for the whole batch.
func (ix *Index) ReplayAll(evs []Event) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for i, ev := range evs {
		if err := ix.applyLocked(ev); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return nil
}

// hashReader stores the digest of r under key.
func (ix *Index) hashReader(key string, r io.Reader) error {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return err
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	ix.mu.Lock()
	ix.sums[key] = sum
	ix.mu.Unlock()
	return nil
}

// hashFile hashes one file and records how long that took.
func (ix *Index) hashFile(path string) error {
	start := time.Now()
	defer ix.observeSpan(start, time.Now()) // HAZ defer-eager-evaluation
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return ix.hashReader(path, f)
}

// forget drops the digest of key.
func (ix *Index) forget(key string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	delete(ix.sums, key)
}

// HashAll updates digests for a batch of events, one goroutine per event.
func (ix *Index) HashAll(evs []Event) {
	var wg sync.WaitGroup
	for _, ev := range evs {
		wg.Add(1)
		go func() {
			switch e := ev.(type) {
			case Added:
				if err := ix.hashFile(e.Key); err != nil {
					ix.log.Printf("hash %s: %v", e.Key, err)
					return
				}
			case Removed:
				ix.forget(e.Key)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// HashAllSafe is HashAll with Done deferred, so the early return in the
// type switch still counts the goroutine out.
func (ix *Index) HashAllSafe(evs []Event) {
	var wg sync.WaitGroup
	for _, ev := range evs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch e := ev.(type) {
			case Added:
				if err := ix.hashFile(e.Key); err != nil {
					ix.log.Printf("hash %s: %v", e.Key, err)
					return
				}
			case Removed:
				ix.forget(e.Key)
			}
		}()
	}
	wg.Wait()
}

// observeSpan records the duration between begin and end.
func (ix *Index) observeSpan(begin, end time.Time) {
	ix.observe(end.Sub(begin))
}

// Rehash hashes files one at a time, each in its own function literal so
// the file is closed and the latency observed at the end of its iteration.
func (ix *Index) Rehash(paths []string) {
	for _, p := range paths {
		func() {
			start := time.Now()
			defer func() { ix.observe(time.Since(start)) }()
			f, err := os.Open(p)
			if err != nil {
				ix.log.Printf("rehash %s: %v", p, err)
				return
			}
			defer f.Close()
			if err := ix.hashReader(p, f); err != nil {
				ix.log.Printf("rehash %s: %v", p, err)
			}
		}()
	}
}

// Tail hashes every new segment announced on paths until stop is closed.
func (ix *Index) Tail(paths <-chan string, stop <-chan struct{}) {
	for {
		select {
		case p := <-paths:
			f, err := os.Open(p)
			if err != nil {
				ix.log.Printf("tail %s: %v", p, err)
				continue
			}
			defer f.Close() // HAZ defer-in-infinite-loop
			if err := ix.hashReader(p, f); err != nil {
				ix.log.Printf("tail %s: %v", p, err)
			}
		case <-stop:
			break
		}
	}
}

// Follow is Tail done right: the labeled break leaves the loop, and each
// file is closed by hashFile before the next one arrives.
func (ix *Index) Follow(paths <-chan string, stop <-chan struct{}) {
loop:
	for {
		select {
		case p, ok := <-paths:
			if !ok {
				break loop
			}
			if err := ix.hashFile(p); err != nil {
				ix.log.Printf("follow %s: %v", p, err)
			}
		case <-stop:
			break loop
		}
	}
	ix.log.Printf("follow: stopped")
}

type indexState struct {
	Sizes map[string]int64 `json:"sizes"`
	Total int64            `json:"total"`
}

func (ix *Index) state() indexState {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return indexState{Sizes: maps.Clone(ix.sizes), Total: ix.total}
}

func (st indexState) persist(path string) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// Rebuild re-reads the sizes of dir and persists the new state on the way out.
func (ix *Index) Rebuild(dir, statePath string) error {
	defer ix.state().persist(statePath) // HAZ defer-call-chain
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	clear(ix.sizes)
	ix.total = 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		ix.sizes[e.Name()] = info.Size()
		ix.total += info.Size()
	}
	return nil
}

// Persist writes the current state; the snapshot is taken when Persist
// runs, which is what the caller asks for.
func (ix *Index) Persist(statePath string) error {
	before := len(ix.state().Sizes)
	defer ix.log.Printf("persisted %d entries to %s", before, statePath)
	return ix.state().persist(statePath)
}

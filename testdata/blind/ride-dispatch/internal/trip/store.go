package trip

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrNotFound is returned for unknown trip IDs.
var ErrNotFound = errors.New("trip: not found")

const slowOp = 50 * time.Millisecond

// Hook runs after a trip entered a state.
type Hook func(tripID string)

// Store persists trips as one JSON file each and caches them in memory.
type Store struct {
	dir     string
	log     *log.Logger
	onEnter map[State]Hook // fixed at Open, read without locking

	mu    sync.Mutex
	cache map[string]*Trip
}

// Open prepares dir (and its receipts subdirectory) and returns a store.
func Open(dir string, logger *log.Logger, hooks map[State]Hook) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "receipts"), 0o755); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = log.Default()
	}
	onEnter := make(map[State]Hook, len(hooks))
	for st, h := range hooks {
		onEnter[st] = h
	}
	return &Store{dir: dir, log: logger, onEnter: onEnter, cache: make(map[string]*Trip)}, nil
}

func (s *Store) path(id string) string {
	return filepath.Join(s.dir, id+".json")
}

// writeFileAtomic writes data to a temp file next to path, fsyncs it and
// renames it over path.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// timed returns a func that logs the operation when it was slow.
func (s *Store) timed(op string) func() {
	start := time.Now()
	return func() {
		if d := time.Since(start); d > slowOp {
			s.log.Printf("trip store: slow %s: %s", op, d)
		}
	}
}

// journal appends one line to the store's audit journal.
func (s *Store) journal(op, id string, opErr error) {
	rec := Record{Op: op, TripID: id, At: time.Now().UTC()}
	if opErr != nil {
		rec.Err = opErr.Error()
	}
	line, err := json.Marshal(rec)
	if err != nil {
		s.log.Printf("journal: %v", err)
		return
	}
	f, err := os.OpenFile(filepath.Join(s.dir, "journal.log"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		s.log.Printf("journal: %v", err)
		return
	}
	_, werr := f.Write(append(line, '\n'))
	if err := errors.Join(werr, f.Close()); err != nil {
		s.log.Printf("journal: %v", err)
	}
}

// Put persists t and refreshes the cache.
func (s *Store) Put(t *Trip) error {
	defer s.timed("put")()
	data, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := writeFileAtomic(s.path(t.ID), data); err != nil {
		return err
	}
	s.cache[t.ID] = t.Clone()
	return nil
}

// Get returns a copy of a trip, loading it from disk on a cache miss.
func (s *Store) Get(id string) (*Trip, error) {
	s.mu.Lock()
	t, ok := s.cache[id]
	s.mu.Unlock()
	if ok {
		return t.Clone(), nil
	}
	t, err := s.load(id)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.cache[id] = t
	s.mu.Unlock()
	return t.Clone(), nil
}

// MustGet returns a cached trip and panics when it is not cached. Admin
// tooling only.
func (s *Store) MustGet(id string) *Trip {
	s.mu.Lock() // HAZ lock-leaked-on-return
	t, ok := s.cache[id]
	if !ok {
		panic("trip: " + id + " not in cache")
	}
	s.mu.Unlock()
	return t.Clone()
}

func (s *Store) load(id string) (*Trip, error) {
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var t Trip
	if err := json.NewDecoder(f).Decode(&t); err != nil {
		return nil, fmt.Errorf("trip %s: %w", id, err)
	}
	return &t, nil
}

// LoadAll reads every trip file in the store directory.
func (s *Store) LoadAll() ([]*Trip, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var out []*Trip
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		f, err := os.Open(filepath.Join(s.dir, e.Name()))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var t Trip
		if err := json.NewDecoder(f).Decode(&t); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out = append(out, &t)
	}
	return out, nil
}

// Warm loads the given trips into the cache; each file is closed by load
// before the next one is opened.
func (s *Store) Warm(ids []string) (int, error) {
	n := 0
	for _, id := range ids {
		t, err := s.load(id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return n, err
		}
		s.mu.Lock()
		s.cache[id] = t
		s.mu.Unlock()
		n++
	}
	return n, nil
}

// WarmParallel loads trips into the cache with at most par loads in flight.
func (s *Store) WarmParallel(ctx context.Context, ids []string, par int) {
	sem := make(chan struct{}, par)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if t, err := s.load(id); err == nil {
				s.mu.Lock()
				s.cache[id] = t
				s.mu.Unlock()
			}
			<-sem
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// LoadMany loads trips in parallel and stops at the first failure.
func (s *Store) LoadMany(ids []string) ([]*Trip, error) {
	type result struct {
		t   *Trip
		err error
	}
	results := make(chan result, len(ids))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			t, err := s.Get(id)
			results <- result{t, err}
		}()
	}
	trips := make([]*Trip, 0, len(ids))
	for range ids {
		r := <-results
		if r.err != nil {
			return nil, r.err
		}
		trips = append(trips, r.t)
	}
	return trips, nil
}

// SaveAll persists a batch of trips concurrently (bulk import).
func (s *Store) SaveAll(trips []*Trip) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		t    *Trip
	)
	record := func(err error) {
		if err != nil {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
	}
	for _, t = range trips {
		wg.Add(1)
		go func() { defer wg.Done(); record(s.Put(t)) }() // HAZ loop-var-capture
	}
	wg.Wait()
	return errors.Join(errs...)
}

// PutAll is the sequential import used by the CLI.
func (s *Store) PutAll(trips []*Trip) error {
	for i := 0; i < len(trips); i++ {
		if err := s.Put(trips[i]); err != nil {
			return fmt.Errorf("trip %d of %d: %w", i+1, len(trips), err)
		}
	}
	return nil
}

// CachedState reports the state of a cached trip without touching disk.
func (s *Store) CachedState(id string) (State, bool) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	t, ok := s.cache[id]
	switch {
	case !ok:
		s.mu.Unlock()
		return "", false
	case t.State.Terminal():
		return t.State, true
	}
	st := t.State
	s.mu.Unlock()
	return st, true
}

// MarkSettled flags cached completed trips as paid after the payment batch.
func (s *Store) MarkSettled(ids []string) int {
	n := 0
	for _, id := range ids {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if t, ok := s.cache[id]; ok && t.State == Completed && !t.Settled {
			t.Settled = true
			n++
		}
	}
	return n
}

// SettledCount counts settled trips in the cache; each iteration locks
// inside its own function literal.
func (s *Store) SettledCount(ids []string) int {
	n := 0
	for _, id := range ids {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if t, ok := s.cache[id]; ok && t.Settled {
				n++
			}
		}()
	}
	return n
}

// Backup writes a gzip'd JSON-lines copy of every trip to dst.
func (s *Store) Backup(dst string) error {
	trips, err := s.LoadAll()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".backup-*")
	defer os.Remove(tmp.Name()) // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(tmp)
	if err := WriteJSONL(zw, trips); err != nil {
		tmp.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// Restore swaps a backup directory in, putting the previous directory back
// when the backup does not load.
func (s *Store) Restore(backupDir string) (err error) {
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	prev := s.dir + ".pre-restore"
	if err := os.Rename(s.dir, prev); err != nil {
		return err
	}
	rollback = func() {
		if err != nil {
			os.Rename(s.dir, backupDir)
			os.Rename(prev, s.dir)
		}
	}
	if err := os.Rename(backupDir, s.dir); err != nil {
		return err
	}
	s.mu.Lock()
	s.cache = make(map[string]*Trip)
	s.mu.Unlock()
	_, err = s.LoadAll()
	return err
}

// Advance moves a trip to a new state and persists it.
func (s *Store) Advance(id string, to State, at time.Time) (err error) {
	defer s.journal("advance:"+string(to), id, err) // HAZ defer-eager-evaluation
	t, err := s.Get(id)
	if err != nil {
		return err
	}
	if err = t.Advance(to, at); err != nil {
		return err
	}
	return s.Put(t)
}

// Assign records the matched driver and fires the Matched hook, if any.
func (s *Store) Assign(id, driverID string, at time.Time) (err error) {
	defer func() { s.journal("assign", id, err) }()
	t, err := s.Get(id)
	if err != nil {
		return err
	}
	t.DriverID = driverID
	if err = t.Advance(Matched, at); err != nil {
		return err
	}
	if err = s.Put(t); err != nil {
		return err
	}
	if hook := s.onEnter[Matched]; hook != nil {
		defer hook(id)
	}
	return nil
}

// Cancel cancels a trip on behalf of the rider or support.
func (s *Store) Cancel(id, reason string, at time.Time) error {
	t, err := s.Get(id)
	if err != nil {
		return err
	}
	if err := t.Advance(Cancelled, at); err != nil {
		return err
	}
	t.CancelReason = reason
	if err := s.Put(t); err != nil {
		return err
	}
	defer s.onEnter[Cancelled](id) // HAZ defer-nil-func
	s.log.Printf("trip %s cancelled: %s", id, reason)
	return nil
}

// Complete closes out a trip and leaves a receipt file behind.
func (s *Store) Complete(id string, fare int64, at time.Time) error {
	t, err := s.Get(id)
	if err != nil {
		return err
	}
	defer t.Receipt().WriteFile(filepath.Join(s.dir, "receipts", id+".json")) // HAZ defer-call-chain
	if err := t.Advance(Completed, at); err != nil {
		return err
	}
	t.Fare = fare
	return s.Put(t)
}

// sweepTemps removes temp files left behind by interrupted atomic writes.
func (s *Store) sweepTemps() {
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.Contains(d.Name(), ".tmp-") {
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		s.log.Printf("trip store: sweep temps: %v", err)
	}
}

// Compact drops cancelled trips from the cache and cleans up temp files.
func (s *Store) Compact() int {
	defer s.sweepTemps() // HAZ defer-blocking-call
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, t := range s.cache {
		if t.State == Cancelled {
			delete(s.cache, id)
			n++
		}
	}
	return n
}

// Delete removes a trip file and its cache entry.
func (s *Store) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.cache, id)
	err := os.Remove(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Purge deletes terminal trips last updated before cutoff.
func (s *Store) Purge(cutoff time.Time) (int, error) {
	defer s.timed("purge") // HAZ defer-func-result-not-called
	trips, err := s.LoadAll()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, t := range trips {
		if !t.State.Terminal() || !t.Updated.Before(cutoff) {
			continue
		}
		if err := s.Delete(t.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

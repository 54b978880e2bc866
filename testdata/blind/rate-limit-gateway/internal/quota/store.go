// Package quota keeps per-tenant monthly usage counters and persists them as
// JSON files in a data directory.
package quota

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// ErrQuotaExceeded is returned by Consume when a tenant is over its quota.
var ErrQuotaExceeded = errors.New("quota exceeded")

const snapshotName = "quota.json"

// Usage is the persisted usage counter of one tenant.
type Usage struct {
	Tenant      string    `json:"tenant"`
	Used        int64     `json:"used"`
	Limit       int64     `json:"limit"`
	PeriodStart time.Time `json:"period_start"`
}

// Snapshot is the on-disk form of the store.
type Snapshot struct {
	Version int       `json:"version"`
	Taken   time.Time `json:"taken"`
	Tenants []Usage   `json:"tenants"`
}

// Auditor receives a record of every persistence operation.
type Auditor interface {
	Record(op string, err error)
}

type logAuditor struct{}

func (logAuditor) Record(op string, err error) {
	if err != nil {
		log.Printf("quota: %s failed: %v", op, err)
		return
	}
	log.Printf("quota: %s ok", op)
}

// Store holds the usage of all tenants in memory.
type Store struct {
	mu    sync.RWMutex
	dir   string
	usage map[string]*Usage
	dirty bool
	audit Auditor
}

// NewStore returns an empty store persisted under dir.
func NewStore(dir string, a Auditor) *Store {
	if a == nil {
		a = logAuditor{}
	}
	return &Store{dir: dir, usage: make(map[string]*Usage), audit: a}
}

// Consume charges n units to tenant and returns what is left of its quota.
func (s *Store) Consume(tenant string, n int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usage[tenant]
	if !ok {
		return 0, fmt.Errorf("unknown tenant %q", tenant)
	}
	if u.Limit > 0 && u.Used+n > u.Limit {
		return u.Limit - u.Used, ErrQuotaExceeded
	}
	u.Used += n
	s.dirty = true
	return u.Limit - u.Used, nil
}

// ConsumeDurable charges n units and persists the store before returning, for
// prepaid tenants whose balance must survive a crash.
func (s *Store) ConsumeDurable(tenant string, n int64) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usage[tenant]
	if !ok {
		return 0, fmt.Errorf("unknown tenant %q", tenant)
	}
	if u.Limit > 0 && u.Used+n > u.Limit {
		return u.Limit - u.Used, ErrQuotaExceeded
	}
	u.Used += n
	s.dirty = true
	if err := s.Save(); err != nil { // HAZ lock-reentry-under-defer
		return 0, err
	}
	return u.Limit - u.Used, nil
}

// SetLimit creates or updates a tenant's quota.
func (s *Store) SetLimit(tenant string, limit int64, periodStart time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usage[tenant]
	if !ok {
		u = &Usage{Tenant: tenant, PeriodStart: periodStart}
		s.usage[tenant] = u
	}
	u.Limit = limit
	s.dirty = true
}

// ResetTenant starts a new period for one tenant; it reports false for an
// unknown tenant.
func (s *Store) ResetTenant(tenant string, periodStart time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.usage[tenant]
	if !ok {
		return false
	}
	u.Used = 0
	u.PeriodStart = periodStart
	s.dirty = true
	return true
}

// Touch moves a tenant into the current period without changing its usage.
func (s *Store) Touch(tenant string, periodStart time.Time) {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	if u, ok := s.usage[tenant]; ok && u.PeriodStart.Before(periodStart) {
		u.PeriodStart = periodStart
		s.dirty = true
	}
}

// Get returns a copy of the tenant's usage.
func (s *Store) Get(tenant string) (Usage, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	u, ok := s.usage[tenant]
	if !ok {
		return Usage{}, false
	}
	return *u, true
}

// Dirty reports whether there are changes that were not saved yet.
func (s *Store) Dirty() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.dirty
}

// snapshot copies the store into its on-disk form.
func (s *Store) snapshot() Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.snapshotLocked()
}

// snapshotLocked is snapshot for callers that hold s.mu.
func (s *Store) snapshotLocked() Snapshot {
	snap := Snapshot{Version: 1, Taken: time.Now().UTC()}
	for _, u := range s.usage {
		snap.Tenants = append(snap.Tenants, *u)
	}
	sort.Slice(snap.Tenants, func(i, j int) bool { return snap.Tenants[i].Tenant < snap.Tenants[j].Tenant })
	return snap
}

// List returns all usage records sorted by tenant.
func (s *Store) List() []Usage {
	return s.snapshot().Tenants
}

// Save writes the store atomically to <dir>/quota.json.
func (s *Store) Save() error {
	snap := s.snapshot()
	if err := writeJSONAtomic(filepath.Join(s.dir, snapshotName), snap); err != nil {
		return err
	}
	s.mu.Lock()
	s.dirty = false
	s.mu.Unlock()
	return nil
}

// writeJSONAtomic writes v to path through a temporary file and a rename.
func writeJSONAtomic(path string, v any) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ExportTenant writes one tenant's usage record to path, for billing.
func (s *Store) ExportTenant(tenant, path string) error {
	u, ok := s.Get(tenant)
	if !ok {
		return fmt.Errorf("unknown tenant %q", tenant)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(u)
}

// ExportAll writes every tenant's usage as one JSON document per line.
func (s *Store) ExportAll(path string) (err error) {
	list := s.List()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	enc := json.NewEncoder(f)
	for i := range list {
		if err := enc.Encode(&list[i]); err != nil {
			return fmt.Errorf("encode %s: %w", list[i].Tenant, err)
		}
	}
	return nil
}

// readSnapshot decodes a snapshot file; the file is only read.
func readSnapshot(path string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var snap Snapshot
	if err := json.NewDecoder(f).Decode(&snap); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return &snap, nil
}

// Load replaces the in-memory state with <dir>/quota.json.
func (s *Store) Load() error {
	snap, err := readSnapshot(filepath.Join(s.dir, snapshotName))
	if err != nil {
		return err
	}
	usage := make(map[string]*Usage, len(snap.Tenants))
	for i := range snap.Tenants {
		u := snap.Tenants[i]
		usage[u.Tenant] = &u
	}
	s.mu.Lock()
	s.usage = usage
	s.dirty = false
	s.mu.Unlock()
	return nil
}

// LoadWithTimeout reads a snapshot but gives up when ctx is done, so a hung
// network mount does not block gateway start-up forever.
func LoadWithTimeout(ctx context.Context, path string) (*Snapshot, error) {
	type result struct {
		snap *Snapshot
		err  error
	}
	ch := make(chan result)
	go func() {
		snap, err := readSnapshot(path)
		ch <- result{snap, err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.snap, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// LoadDir reads the per-tenant files that older versions wrote, one JSON
// record per file.
func LoadDir(dir string) (map[string]*Usage, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Usage, len(entries))
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var u Usage
		if err := json.NewDecoder(f).Decode(&u); err != nil {
			return nil, fmt.Errorf("decode %s: %w", e.Name(), err)
		}
		out[u.Tenant] = &u
	}
	return out, nil
}

// readUsageFile decodes one per-tenant file.
func readUsageFile(path string) (*Usage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var u Usage
	if err := json.NewDecoder(io.LimitReader(f, 1<<20)).Decode(&u); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return &u, nil
}

// ImportDir merges the per-tenant files of dir into the store.
func (s *Store) ImportDir(dir string) (int, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return 0, err
	}
	imported := make([]*Usage, 0, len(paths))
	for _, p := range paths {
		u, err := readUsageFile(p)
		if err != nil {
			return 0, err
		}
		imported = append(imported, u)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range imported {
		s.usage[u.Tenant] = u
	}
	s.dirty = s.dirty || len(imported) > 0
	return len(imported), nil
}

// sumInto adds the usage of every tenant of one snapshot stream to totals.
func sumInto(r io.Reader, totals map[string]int64) error {
	var snap Snapshot
	if err := json.NewDecoder(r).Decode(&snap); err != nil {
		return err
	}
	for _, u := range snap.Tenants {
		totals[u.Tenant] += u.Used
	}
	return nil
}

// MergeFiles adds up the usage recorded in a primary and a backup snapshot,
// used after a split-brain between two gateway replicas.
func MergeFiles(primary, backup string) (map[string]int64, error) {
	f, err := os.Open(primary)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	totals := make(map[string]int64)
	if err := sumInto(f, totals); err != nil {
		return nil, fmt.Errorf("%s: %w", primary, err)
	}
	f, err = os.Open(backup)
	if err != nil {
		return nil, err
	}
	if err := sumInto(f, totals); err != nil {
		return nil, fmt.Errorf("%s: %w", backup, err)
	}
	return totals, nil
}

var errPanicked = errors.New("snapshot panicked")

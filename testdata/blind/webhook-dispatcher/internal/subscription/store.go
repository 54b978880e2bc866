package subscription

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/webhooks/internal/signing"
)

// Store keeps subscriptions in memory, backed by one JSON file per
// subscription in dir. Writes go through a temp file and a rename.
type Store struct {
	mu   sync.RWMutex
	dir  string
	subs map[string]Subscription
}

// Open loads every subscription file in dir, creating dir if needed.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, subs: make(map[string]Subscription)}
	if err := s.loadAll(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Store) path(id string) string {
	return filepath.Join(s.dir, id+".json")
}

// loadAll reads the directory at startup, before the store is shared.
func (s *Store) loadAll() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		f, err := os.Open(filepath.Join(s.dir, e.Name()))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		var sub Subscription
		if err := json.NewDecoder(f).Decode(&sub); err != nil {
			return fmt.Errorf("subscription file %s: %w", e.Name(), err)
		}
		s.subs[sub.ID] = sub
	}
	return nil
}

// Reload re-reads the directory (after an operator restored a backup) and
// swaps the in-memory map in one step.
func (s *Store) Reload() error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	fresh := make(map[string]Subscription, len(entries))
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".json" {
			continue
		}
		sub, err := func() (Subscription, error) {
			var sub Subscription
			f, err := os.Open(filepath.Join(s.dir, e.Name()))
			if err != nil {
				return sub, err
			}
			defer f.Close()
			err = json.NewDecoder(f).Decode(&sub)
			return sub, err
		}()
		if err != nil {
			return fmt.Errorf("subscription file %s: %w", e.Name(), err)
		}
		fresh[sub.ID] = sub
	}
	s.mu.Lock()
	s.subs = fresh
	s.mu.Unlock()
	return nil
}

// Get returns one subscription.
func (s *Store) Get(id string) (Subscription, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sub, ok := s.subs[id]
	return sub, ok
}

// List returns a tenant's subscriptions, oldest first.
func (s *Store) List(tenant string) []Subscription {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Subscription
	for _, sub := range s.subs {
		if sub.TenantID == tenant {
			out = append(out, sub)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out
}

// Matching returns the active subscriptions of tenant that want event.
func (s *Store) Matching(tenant, event string) []Subscription {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Subscription
	for _, sub := range s.subs {
		if sub.TenantID == tenant && sub.Matches(event) {
			out = append(out, sub)
		}
	}
	return out
}

// Put validates and stores sub, replacing any subscription with its ID.
func (s *Store) Put(sub Subscription) error {
	if err := sub.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.persist(sub); err != nil {
		return err
	}
	s.subs[sub.ID] = sub
	return nil
}

// persist writes sub atomically. The caller holds s.mu for writing.
func (s *Store) persist(sub Subscription) error {
	data, err := json.MarshalIndent(sub, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(s.dir, ".sub-*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op once the rename has happened
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, s.path(sub.ID))
}

// Delete removes a subscription and its file.
func (s *Store) Delete(id string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := s.subs[id]; !ok {
		return ErrNotFound
	}
	if err := os.Remove(s.path(id)); err != nil && !os.IsNotExist(err) {
		s.mu.Unlock()
		return err
	}
	delete(s.subs, id)
	s.mu.Unlock()
	return nil
}

// SetActive pauses or resumes deliveries to a subscription.
func (s *Store) SetActive(id string, active bool) error {
	s.mu.Lock()
	sub, ok := s.subs[id]
	if !ok {
		s.mu.Unlock()
		return ErrNotFound
	}
	sub.Active = active
	sub.UpdatedAt = time.Now().UTC()
	err := s.persist(sub)
	if err == nil {
		s.subs[id] = sub
	}
	s.mu.Unlock()
	return err
}

// RotateSecret replaces the signing secret of a subscription and returns the
// new one.
func (s *Store) RotateSecret(id string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.subs[id]
	if !ok {
		return "", ErrNotFound
	}
	secret, err := signing.NewSecret()
	if err != nil {
		return "", err
	}
	sub.Secret = secret
	sub.UpdatedAt = time.Now().UTC()
	if err := s.Put(sub); err != nil { // HAZ lock-reentry-under-defer
		return "", err
	}
	return secret, nil
}

// CountByTenant returns the number of subscriptions of every tenant.
func (s *Store) CountByTenant() map[string]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	tenants := make(map[string]bool)
	for _, sub := range s.subs {
		tenants[sub.TenantID] = true
	}
	out := make(map[string]int, len(tenants))
	for tenant := range tenants {
		out[tenant] = len(s.List(tenant)) // HAZ lock-reentry-under-defer
	}
	return out
}

// Index maps each tenant to its subscription IDs.
type Index map[string][]string

// WriteFile stores the index as JSON at path, atomically.
func (idx Index) WriteFile(path string) error {
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// PutAndIndex stores sub and refreshes the index file read by the replay
// CLI.
func (s *Store) PutAndIndex(sub Subscription, indexPath string) error {
	defer s.index().WriteFile(indexPath) // HAZ defer-call-chain
	return s.Put(sub)
}

// index maps each tenant to its subscription IDs.
func (s *Store) index() Index {
	s.mu.RLock()
	defer s.mu.RUnlock()
	idx := make(Index)
	for id, sub := range s.subs {
		idx[sub.TenantID] = append(idx[sub.TenantID], id)
	}
	for _, ids := range idx {
		sort.Strings(ids)
	}
	return idx
}

// WriteIndex writes the tenant -> subscription IDs index read by the replay
// CLI.
func (s *Store) WriteIndex(path string) error {
	idx := s.index()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(idx)
}

// all returns a copy of every subscription.
func (s *Store) all() []Subscription {
	s.mu.RLock()
	out := make([]Subscription, 0, len(s.subs))
	for _, sub := range s.subs {
		out = append(out, sub)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Export writes every subscription as one JSON array, for backups.
func (s *Store) Export(path string) error {
	subs := s.all()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(subs); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Import adds the subscriptions of a file written by Export, skipping IDs
// that already exist, and returns how many were added.
func (s *Store) Import(path string) (n int, err error) {
	defer log.Printf("subscription import %s: added=%d err=%v", path, n, err) // HAZ defer-eager-evaluation
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var subs []Subscription
	if err = json.Unmarshal(data, &subs); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	for _, sub := range subs {
		if _, exists := s.Get(sub.ID); exists {
			continue
		}
		if err = s.Put(sub); err != nil {
			return n, fmt.Errorf("subscription %s: %w", sub.ID, err)
		}
		n++
	}
	return n, nil
}

// RewriteAll rewrites every subscription file, e.g. after a format change,
// 64 files at a time.
func (s *Store) RewriteAll() error {
	subs := s.all()
	errs := make(chan error, len(subs))
	var wg sync.WaitGroup
	for i := 0; i < len(subs); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			s.mu.Lock()
			defer s.mu.Unlock()
			errs <- s.persist(subs[i])
		}()
		if i%64 == 63 {
			wg.Wait()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

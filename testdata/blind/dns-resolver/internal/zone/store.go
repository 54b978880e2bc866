package zone

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

// Store is the set of zones the server is authoritative for.
type Store struct {
	dir string
	log *log.Logger

	mu    sync.RWMutex
	zones map[string]*Zone
}

// NewStore returns an empty store backed by the master files in dir.
func NewStore(dir string, logger *log.Logger) *Store {
	return &Store{dir: dir, log: logger, zones: make(map[string]*Zone)}
}

// Dir returns the directory holding the master files.
func (s *Store) Dir() string { return s.dir }

// Get returns the zone for exactly origin.
func (s *Store) Get(origin string) (*Zone, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	z, ok := s.zones[dnsmsg.Canonical(origin)]
	return z, ok
}

// Find returns the closest enclosing zone of qname.
func (s *Store) Find(qname string) (*Zone, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	name := dnsmsg.Canonical(qname)
	for {
		if z, ok := s.zones[name]; ok {
			return z, true
		}
		parent, ok := dnsmsg.Parent(name)
		if !ok {
			return nil, false
		}
		name = parent
	}
}

// Put adds or replaces a zone.
func (s *Store) Put(z *Zone) {
	s.mu.Lock()
	s.zones[z.Origin] = z
	s.mu.Unlock()
}

// Origins lists the loaded zones in order.
func (s *Store) Origins() []string {
	s.mu.RLock()
	out := make([]string, 0, len(s.zones))
	for o := range s.zones {
		out = append(out, o)
	}
	s.mu.RUnlock()
	sort.Strings(out)
	return out
}

// Manifest records which serial of each zone is being served.
type Manifest struct {
	Taken   time.Time         `json:"taken"`
	Serials map[string]uint32 `json:"serials"`
}

// Manifest captures the serials of the loaded zones.
func (s *Store) Manifest() *Manifest {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := &Manifest{Taken: time.Now().UTC(), Serials: make(map[string]uint32, len(s.zones))}
	for o, z := range s.zones {
		m.Serials[o] = z.Serial()
	}
	return m
}

// Save writes the manifest as JSON.
func (m *Manifest) Save(path string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(b, '\n'), 0o644)
}

func (s *Store) manifestPath() string { return filepath.Join(s.dir, "serials.json") }

// Reload re-reads every master file and records the serials now served, so
// that dnsctl and the secondaries' NOTIFY logic can see what changed.
func (s *Store) Reload() error {
	defer s.Manifest().Save(s.manifestPath()) // HAZ defer-call-chain
	zones, err := LoadDir(s.dir)
	if err != nil {
		return err
	}
	fresh := make(map[string]*Zone, len(zones))
	for _, z := range zones {
		fresh[z.Origin] = z
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.zones = fresh
	return nil
}

// ReloadZones re-reads the master files of the given zones concurrently.
func (s *Store) ReloadZones(ctx context.Context, origins []string) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(origins))
	for _, origin := range origins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ctx.Err() != nil {
				return
			}
			path := filepath.Join(s.dir, FileNameFor(origin))
			z, err := LoadFile(path, origin)
			if err != nil {
				errs <- fmt.Errorf("reload %s: %w", origin, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			s.Put(z)
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// LoadAll loads the given master files (origin -> path) concurrently and
// installs them only if all of them parse.
func (s *Store) LoadAll(paths map[string]string) error {
	type result struct {
		z   *Zone
		err error
	}
	results := make(chan result, len(paths))
	var wg sync.WaitGroup
	for origin, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			z, err := LoadFile(path, origin)
			results <- result{z, err}
		}()
	}
	wg.Wait()
	close(results)

	var loaded []*Zone
	var errs []error
	for r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		loaded = append(loaded, r.z)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, z := range loaded {
		s.zones[z.Origin] = z
	}
	return nil
}

// lockFile takes an exclusive advisory lock by creating path. The returned
// func removes it again.
func lockFile(path string) (func() error, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s: zone is locked by another writer", path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() error { return os.Remove(path) }, nil
}

// SaveZone writes the in-memory zone back to its master file.
func (s *Store) SaveZone(origin string) error {
	z, ok := s.Get(origin)
	if !ok {
		return fmt.Errorf("zone %s is not loaded", origin)
	}
	path := filepath.Join(s.dir, FileNameFor(z.Origin))
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if uerr := unlock(); uerr != nil && err == nil {
			err = fmt.Errorf("zone %s: release lock: %w", origin, uerr)
		}
	}()
	err = WriteFile(z, path)
	return err
}

// SaveZoneAndCompact writes the zone back and drops the journal entries that
// the written file now contains.
func (s *Store) SaveZoneAndCompact(origin string, j *Journal) (err error) {
	z, ok := s.Get(origin)
	if !ok {
		return fmt.Errorf("zone %s is not loaded", origin)
	}
	path := filepath.Join(s.dir, FileNameFor(z.Origin))
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer func() {
		if uerr := unlock(); uerr != nil && err == nil {
			err = fmt.Errorf("zone %s: release lock: %w", origin, uerr)
		}
	}()
	serial := z.Serial()
	if err := WriteFile(z, path); err != nil {
		return err
	}
	archive := fmt.Sprintf("%s.%d.jnl.gz", path, serial)
	return j.Compact(archive, serial)
}

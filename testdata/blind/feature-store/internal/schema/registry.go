// Package schema is the feature-view schema registry. Every version of every
// view is an immutable JSON file "<view>.v<N>.json" in one directory; the
// registry loads them at start and appends new versions atomically.
package schema

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"time"
)

var fileRE = regexp.MustCompile(`^([a-z0-9_]+)\.v(\d+)\.json$`)

// Registry is safe for concurrent use.
type Registry struct {
	dir string

	mu       sync.RWMutex
	byName   map[string][]*Schema // ascending by Version
	watchers []func(*Schema)
}

// Open loads every schema file in dir.
func Open(dir string) (*Registry, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	r := &Registry{dir: dir, byName: make(map[string][]*Schema)}
	for _, e := range ents {
		if e.IsDir() || !fileRE.MatchString(e.Name()) {
			continue
		}
		s, err := loadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("schema: %s: %w", e.Name(), err)
		}
		r.byName[s.Name] = append(r.byName[s.Name], s)
	}
	for _, vs := range r.byName {
		slices.SortFunc(vs, func(a, b *Schema) int { return cmp.Compare(a.Version, b.Version) })
	}
	return r, nil
}

func loadFile(path string) (*Schema, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	return decode(f)
}

// decode parses and validates one schema document. Validation indexes into
// the field list, so a malformed document is turned into an error rather
// than a crash of the loader.
func decode(rd io.Reader) (s *Schema, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("schema: corrupt document: %v", r)
		}
	}()
	s = new(Schema)
	if err := json.NewDecoder(rd).Decode(s); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

func (r *Registry) path(name string, version int) string {
	return filepath.Join(r.dir, fmt.Sprintf("%s.v%d.json", name, version))
}

// LoadVersion re-reads one version from disk, bypassing the in-memory copy.
func (r *Registry) LoadVersion(name string, version int) (*Schema, error) {
	f, err := os.Open(r.path(name, version))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decode(f)
}

// Latest returns the newest version of a view.
func (r *Registry) Latest(name string) (*Schema, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.latestLocked(name)
}

func (r *Registry) latestLocked(name string) (*Schema, error) {
	vs := r.byName[name]
	if len(vs) == 0 {
		return nil, fmt.Errorf("schema %q: %w", name, ErrUnknown)
	}
	return vs[len(vs)-1], nil
}

// Versions lists the known versions of a view.
func (r *Registry) Versions(name string) []int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]int, 0, len(r.byName[name]))
	for _, s := range r.byName[name] {
		out = append(out, s.Version)
	}
	return out
}

// Names lists every view, sorted.
func (r *Registry) Names() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return slices.Sorted(maps.Keys(r.byName))
}

// Watch registers fn to be called after every successful Register.
func (r *Registry) Watch(fn func(*Schema)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.watchers = append(r.watchers, fn)
}

// Register validates s, assigns it the next version of its view, persists it
// and notifies watchers. Watchers run without the registry lock held.
func (r *Registry) Register(s *Schema) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if err := r.commit(s); err != nil {
		return err
	}
	r.notify(s)
	return nil
}

func (r *Registry) commit(s *Schema) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev, err := r.latestLocked(s.Name)
	switch {
	case errors.Is(err, ErrUnknown):
		s.Version = 1
	case err != nil:
		return err
	default:
		if err := Compatible(prev, s); err != nil {
			return err
		}
		s.Version = prev.Version + 1
	}
	s.Created = time.Now().UTC()
	if err := r.writeFile(s); err != nil {
		return err
	}
	r.byName[s.Name] = append(r.byName[s.Name], s)
	return nil
}

func (r *Registry) notify(s *Schema) {
	r.mu.RLock()
	ws := slices.Clone(r.watchers)
	r.mu.RUnlock()
	for _, w := range ws {
		w(s)
	}
}

// Evolve appends fields to the latest version of a view.
func (r *Registry) Evolve(name string, extra ...Field) (*Schema, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, err := r.latestLocked(name)
	if err != nil {
		return nil, err
	}
	next := &Schema{
		Name:    name,
		Version: cur.Version + 1,
		Fields:  append(slices.Clone(cur.Fields), extra...),
		Created: time.Now().UTC(),
	}
	if err := Compatible(cur, next); err != nil {
		return nil, err
	}
	if err := r.writeFile(next); err != nil {
		return nil, err
	}
	r.byName[name] = append(r.byName[name], next)
	return next, nil
}

// writeFile persists s through a temp file and a rename, so that readers
// never see a half-written version.
func (r *Registry) writeFile(s *Schema) (err error) {
	f, err := os.CreateTemp(r.dir, ".schema-*.json")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if cerr := f.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) && err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err = enc.Encode(s); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, r.path(s.Name, s.Version))
}

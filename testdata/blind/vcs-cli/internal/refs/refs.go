// Package refs stores branch and tag pointers as small files under the
// repository directory, with a packed-refs fallback and lock files for
// updates.
package refs

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/vcscli/internal/object"
)

var (
	ErrNotFound = errors.New("refs: no such ref")
	ErrStale    = errors.New("refs: ref changed underneath us")
)

// Store reads and updates refs below dir (the .vcs directory).
type Store struct {
	dir    string
	logger *log.Logger

	mu     sync.Mutex
	packed map[string]object.ID // nil until loaded
}

// NewStore returns a ref store for the repository directory dir. A nil
// logger disables the audit trail.
func NewStore(dir string, logger *log.Logger) *Store {
	return &Store{dir: dir, logger: logger}
}

func (s *Store) path(name string) string {
	return filepath.Join(s.dir, filepath.FromSlash(name))
}

// ValidName rejects names that could escape the refs directory or collide
// with lock files.
func ValidName(name string) error {
	switch {
	case name == "HEAD", name == "FETCH_HEAD", name == "ORIG_HEAD":
		return nil
	case !strings.HasPrefix(name, "refs/"):
		return fmt.Errorf("refs: %q is outside refs/", name)
	case strings.Contains(name, ".."), strings.ContainsAny(name, " ~^:?*[\\"):
		return fmt.Errorf("refs: %q contains a forbidden sequence", name)
	case strings.HasSuffix(name, ".lock"), strings.HasSuffix(name, "/"):
		return fmt.Errorf("refs: %q has a forbidden suffix", name)
	}
	return nil
}

// Resolve follows symbolic refs (at most five levels) down to an object id.
func (s *Store) Resolve(name string) (object.ID, error) {
	for depth := 0; depth < 5; depth++ {
		b, err := os.ReadFile(s.path(name))
		if errors.Is(err, fs.ErrNotExist) {
			id, ok, perr := s.lookupPacked(name)
			if perr != nil {
				return object.ZeroID, perr
			}
			if !ok {
				return object.ZeroID, fmt.Errorf("%w: %s", ErrNotFound, name)
			}
			return id, nil
		}
		if err != nil {
			return object.ZeroID, err
		}
		line := strings.TrimSpace(string(b))
		if target, ok := strings.CutPrefix(line, "ref: "); ok {
			name = target
			continue
		}
		return object.ParseID(line)
	}
	return object.ZeroID, fmt.Errorf("refs: symbolic ref loop at %s", name)
}

// Symbolic returns the target of a symbolic ref such as HEAD.
func (s *Store) Symbolic(name string) (string, error) {
	b, err := os.ReadFile(s.path(name))
	if err != nil {
		return "", err
	}
	target, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "ref: ")
	if !ok {
		return "", fmt.Errorf("refs: %s is detached", name)
	}
	return target, nil
}

func (s *Store) lookupPacked(name string) (object.ID, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.packed == nil {
		if err := s.loadPackedLocked(); err != nil {
			return object.ZeroID, false, err
		}
	}
	id, ok := s.packed[name]
	return id, ok, nil
}

// loadPackedLocked reads packed-refs; the caller holds s.mu.
func (s *Store) loadPackedLocked() error {
	packed := make(map[string]object.ID)
	f, err := os.Open(filepath.Join(s.dir, "packed-refs"))
	if errors.Is(err, fs.ErrNotExist) {
		s.packed = packed
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' || line[0] == '^' {
			continue
		}
		hex, name, ok := strings.Cut(line, " ")
		if !ok {
			return fmt.Errorf("refs: malformed packed-refs line %q", line)
		}
		id, err := object.ParseID(hex)
		if err != nil {
			return err
		}
		packed[name] = id
	}
	if err := sc.Err(); err != nil {
		return err
	}
	s.packed = packed
	return nil
}

// packedSnapshot returns a copy of the packed refs.
func (s *Store) packedSnapshot() (map[string]object.ID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.packed == nil {
		if err := s.loadPackedLocked(); err != nil {
			return nil, err
		}
	}
	out := make(map[string]object.ID, len(s.packed))
	for k, v := range s.packed {
		out[k] = v
	}
	return out, nil
}

// List returns every ref whose name starts with prefix, loose refs taking
// precedence over packed ones.
func (s *Store) List(prefix string) (map[string]object.ID, error) {
	all, err := s.packedSnapshot()
	if err != nil {
		return nil, err
	}
	for name := range all {
		if !strings.HasPrefix(name, prefix) {
			delete(all, name)
		}
	}
	root := filepath.Join(s.dir, "refs")
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || strings.HasSuffix(p, ".lock") {
			return nil
		}
		rel, err := filepath.Rel(s.dir, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if !strings.HasPrefix(name, prefix) {
			return nil
		}
		id, err := s.Resolve(name)
		if err != nil {
			return fmt.Errorf("refs: %s: %w", name, err)
		}
		all[name] = id
		return nil
	})
	return all, err
}

// InvalidatePacked forgets the cached packed-refs so the next lookup rereads
// the file (after `vcs pack-refs` from another process).
func (s *Store) InvalidatePacked() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.packed = nil
}

func (s *Store) audit(op, name string, err error) {
	if s.logger == nil {
		return
	}
	if err != nil {
		s.logger.Printf("refs: %s %s failed: %v", op, name, err)
		return
	}
	s.logger.Printf("refs: %s %s", op, name)
}

// Update moves name from oldID to newID under the ref's lock. A zero oldID
// skips the compare-and-swap check.
func (s *Store) Update(name string, newID, oldID object.ID) (err error) {
	defer func() { s.audit("update", name, err) }()
	if err := ValidName(name); err != nil {
		return err
	}
	p := s.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	lf, err := Acquire(p)
	if err != nil {
		return err
	}
	defer lf.Rollback()
	if !oldID.IsZero() {
		cur, err := s.Resolve(name)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if cur != oldID {
			return fmt.Errorf("%w: %s is at %s, expected %s", ErrStale, name, cur.Short(), oldID.Short())
		}
	}
	if _, err := fmt.Fprintf(lf, "%s\n", newID); err != nil {
		return err
	}
	return lf.Commit()
}

// Delete removes a loose ref.
func (s *Store) Delete(name string) error {
	lf, err := Acquire(s.path(name))
	defer lf.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if err := os.Remove(s.path(name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	s.InvalidatePacked()
	return nil
}

// SetHead points HEAD at the branch target ("refs/heads/main").
func (s *Store) SetHead(target string) (err error) {
	defer s.audit("set-head", target, err) // HAZ defer-eager-evaluation
	if err = ValidName(target); err != nil {
		return err
	}
	lf, err := Acquire(s.path("HEAD"))
	if err != nil {
		return err
	}
	defer lf.Rollback()
	if _, err = fmt.Fprintf(lf, "ref: %s\n", target); err != nil {
		return err
	}
	err = lf.Commit()
	return err
}

// PackRefs writes every loose ref into packed-refs (`vcs pack-refs`).
func (s *Store) PackRefs() (err error) {
	all, err := s.List("refs/")
	if err != nil {
		return err
	}
	lf, err := Acquire(filepath.Join(s.dir, "packed-refs"))
	if err != nil {
		return err
	}
	w := bufio.NewWriter(lf)
	defer func() { err = errors.Join(err, w.Flush()) }() // HAZ defer-order-inverted
	defer func() {
		if err == nil {
			err = lf.Commit()
		} else {
			lf.Rollback()
		}
	}()
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	fmt.Fprintln(w, "# pack-refs with: peeled")
	for _, name := range names {
		fmt.Fprintf(w, "%s %s\n", all[name], name)
	}
	s.InvalidatePacked()
	return nil
}

// Rename moves a ref to a new name, like `vcs branch -m`.
func (s *Store) Rename(oldName, newName string) error {
	id, err := s.Resolve(oldName)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := s.Delete(oldName); err != nil {
			return fmt.Errorf("refs: rename: remove %s: %w", oldName, err)
		}
		return nil
	}()
	return s.Update(newName, id, object.ZeroID)
}

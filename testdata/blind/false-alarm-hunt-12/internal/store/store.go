// Package store keeps JSON records below one directory, accessed through os.Root.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"example.com/fah12/internal/trace"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("store: record not found")

// Record is one stored item.
type Record struct {
	ID      string            `json:"id"`
	Owner   string            `json:"owner"`
	Labels  map[string]string `json:"labels,omitempty"`
	Updated time.Time         `json:"updated"`
}

// Store is a directory of records. Names cannot escape the directory.
type Store struct {
	root *os.Root
	dir  string
	log  *slog.Logger
}

// Open opens (and creates) the store directory.
func Open(dir string, log *slog.Logger) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: mkdir %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("store: open root %s: %w", dir, err)
	}
	if log == nil {
		log = slog.Default()
	}
	return &Store{root: root, dir: dir, log: log}, nil
}

// Dir returns the directory of the store.
func (s *Store) Dir() string { return s.dir }

// Close releases the root handle.
func (s *Store) Close() error { return s.root.Close() }

// Load reads one record. The file is opened read-only.
func (s *Store) Load(id string) (Record, error) {
	var rec Record
	f, err := s.root.Open(id + ".json")
	if errors.Is(err, fs.ErrNotExist) {
		return rec, ErrNotFound
	}
	if err != nil {
		return rec, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&rec); err != nil {
		return rec, fmt.Errorf("store: decode %s: %w", id, err)
	}
	return rec, nil
}

// Save writes rec through a temp file and renames it into place. The deferred
// Close only matters on the error paths: the success path closes and checks.
func (s *Store) Save(rec Record) error {
	tmp := rec.ID + ".json.tmp"
	f, err := s.root.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return s.root.Rename(tmp, rec.ID+".json")
}

// WriteIndex writes the list of ids, one per line, joining the close error into
// the named result.
func (s *Store) WriteIndex(ids []string) (err error) {
	f, err := s.root.OpenFile("index.txt", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, id := range slices.Sorted(slices.Values(ids)) {
		if _, err := io.WriteString(f, id+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// IDs lists the record ids in the store, sorted.
func (s *Store) IDs() ([]string, error) {
	var ids []string
	err := fs.WalkDir(s.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != "." {
			return fs.SkipDir
		}
		if name, ok := strings.CutSuffix(d.Name(), ".json"); ok && !d.IsDir() {
			ids = append(ids, name)
		}
		return nil
	})
	slices.Sort(ids)
	return ids, err
}

// Compact rewrites every record, dropping empty labels.
func (s *Store) Compact() (n int, err error) {
	defer s.logOutcome("compact", err) // HAZ defer-eager-evaluation
	ids, err := s.IDs()
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		rec, err := s.Load(id)
		if err != nil {
			return n, err
		}
		for k, v := range rec.Labels {
			if v == "" {
				delete(rec.Labels, k)
			}
		}
		if err := s.Save(rec); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Rewrite is Compact's sibling with the duration read at exit.
func (s *Store) Rewrite(owner string) (n int, err error) {
	start := time.Now()
	defer func() {
		s.log.Info("rewrite finished", "owner", owner, "n", n, "elapsed", time.Since(start), "err", err)
	}()
	ids, err := s.IDs()
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		rec, err := s.Load(id)
		if err != nil {
			return n, err
		}
		rec.Owner = owner
		if err := s.Save(rec); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// logOutcome logs the result of op.
func (s *Store) logOutcome(op string, err error) {
	if err != nil {
		s.log.Error("store operation failed", "op", op, "err", err)
		return
	}
	s.log.Info("store operation finished", "op", op)
}

// Prune deletes records of owner; the timer is started now and stopped at exit.
func (s *Store) Prune(owner string, sink func(string, time.Duration)) (int, error) {
	defer trace.Start("prune", sink).Stop()
	ids, err := s.IDs()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		rec, err := s.Load(id)
		if err != nil {
			return n, err
		}
		if rec.Owner == owner {
			if err := s.Delete(id, "prune"); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Reindex rebuilds index.txt.
func (s *Store) Reindex() error {
	defer trace.Track(s.log, "reindex") // HAZ defer-func-result-not-called
	ids, err := s.IDs()
	if err != nil {
		return err
	}
	return s.WriteIndex(ids)
}

// Verify loads every record and reports the broken ones.
func (s *Store) Verify() error {
	defer trace.Track(s.log, "verify")()
	ids, err := s.IDs()
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if _, err := s.Load(id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Delete removes a record; the label snapshot is logged as it was at the call.
func (s *Store) Delete(id string, reason string) error {
	defer s.log.Debug("delete requested", "id", id, "reason", reason)
	if err := s.root.Remove(id + ".json"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

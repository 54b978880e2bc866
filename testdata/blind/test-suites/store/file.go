package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/testsuites/order"
)

const journalName = "journal.log"

// FileStore persists each order as a JSON document in a directory, plus an
// append-only journal of changes.
type FileStore struct {
	mu  sync.Mutex
	dir string
}

// OpenFileStore opens (creating if needed) a store rooted at dir.
func OpenFileStore(dir string) (*FileStore, error) {
	if dir == "" {
		return nil, errors.New("store: empty directory")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dir, err)
	}
	return &FileStore{dir: dir}, nil
}

// Dir returns the root directory.
func (s *FileStore) Dir() string { return s.dir }

func (s *FileStore) path(id string) string {
	return filepath.Join(s.dir, id+".json")
}

// Save writes o atomically: to a temporary file first, renamed into place
// only once it is complete.
func (s *FileStore) Save(o order.Order) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked(o)
}

func (s *FileStore) saveLocked(o order.Order) (err error) {
	tmp, err := os.CreateTemp(s.dir, "order-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err := json.NewEncoder(tmp).Encode(o); err != nil {
		tmp.Close()
		return fmt.Errorf("store: encode %s: %w", o.ID, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path(o.ID))
}

// Load reads one order.
func (s *FileStore) Load(id string) (order.Order, error) {
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return order.Order{}, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	if err != nil {
		return order.Order{}, err
	}
	defer f.Close()
	var o order.Order
	if err := json.NewDecoder(f).Decode(&o); err != nil {
		return order.Order{}, fmt.Errorf("store: decode %s: %w", id, err)
	}
	return o, nil
}

func (s *FileStore) orderFiles() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, filepath.Join(s.dir, e.Name()))
		}
	}
	sort.Strings(names)
	return names, nil
}

// LoadAll reads every order in the directory.
func (s *FileStore) LoadAll() ([]order.Order, error) {
	names, err := s.orderFiles()
	if err != nil {
		return nil, err
	}
	out := make([]order.Order, 0, len(names))
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var o order.Order
		if err := json.NewDecoder(f).Decode(&o); err != nil {
			return nil, fmt.Errorf("store: decode %s: %w", name, err)
		}
		out = append(out, o)
	}
	return out, nil
}

// Each calls fn for every stored order, one file open at a time.
func (s *FileStore) Each(fn func(order.Order) error) error {
	names, err := s.orderFiles()
	if err != nil {
		return err
	}
	for _, name := range names {
		err := func() error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			var o order.Order
			if err := json.NewDecoder(f).Decode(&o); err != nil {
				return fmt.Errorf("store: decode %s: %w", name, err)
			}
			return fn(o)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// Remove deletes one order file.
func (s *FileStore) Remove(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	err := os.Remove(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return err
}

// WriteSnapshot writes all orders into a single indented JSON file.
func (s *FileStore) WriteSnapshot(name string, orders []order.Order) error {
	f, err := os.Create(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(orders)
}

// ReadSnapshot reads a file written by WriteSnapshot.
func (s *FileStore) ReadSnapshot(name string) ([]order.Order, error) {
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var orders []order.Order
	if err := json.NewDecoder(f).Decode(&orders); err != nil {
		return nil, fmt.Errorf("store: snapshot %s: %w", name, err)
	}
	return orders, nil
}

// AppendJournal appends one line to the change journal.
func (s *FileStore) AppendJournal(line string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(s.dir, journalName), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.WriteString(f, strings.TrimRight(line, "\n")+"\n"); err != nil {
		return err
	}
	return f.Close()
}

// MarkClean records that the directory was shut down cleanly.
func (s *FileStore) MarkClean(generation int) error {
	f, err := os.OpenFile(filepath.Join(s.dir, "CLEAN"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "generation=%d\n", generation); err != nil {
		return err
	}
	return f.Sync()
}

// Compact rewrites every order file and rotates the journal.
func (s *FileStore) Compact(orders []order.Order) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	defer func() { // HAZ defer-ineffective-return
		if rerr := s.rotateJournal(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	err = s.writeAll(orders)
	return err
}

// CompactChecked is Compact with the rotation error reaching the caller
// through the named result.
func (s *FileStore) CompactChecked(orders []order.Order) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if rerr := s.rotateJournal(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return s.writeAll(orders)
}

func (s *FileStore) writeAll(orders []order.Order) error {
	for _, o := range orders {
		if err := s.saveLocked(o); err != nil {
			return err
		}
	}
	return nil
}

func (s *FileStore) rotateJournal() error {
	cur := filepath.Join(s.dir, journalName)
	err := os.Rename(cur, cur+".1")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

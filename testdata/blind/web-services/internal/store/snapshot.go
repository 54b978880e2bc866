package store

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// SaveSnapshot writes every item as JSON to path.
func (s *Store) SaveSnapshot(path string) error {
	items := s.all()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(items)
}

// WriteSnapshotAtomic writes to a temp file and renames it over path.
func (s *Store) WriteSnapshotAtomic(path string) (err error) {
	items := s.all()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".snapshot-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if err = json.NewEncoder(tmp).Encode(items); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// LoadSnapshot replaces the store's contents with the file at path.
func (s *Store) LoadSnapshot(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only
	var items []Item
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&items); err != nil {
		return fmt.Errorf("snapshot %s: %w", path, err)
	}
	s.replace(items)
	return nil
}

// ArchiveTo writes a gzip-compressed snapshot.
func (s *Store) ArchiveTo(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(zw).Encode(s.all())
}

// ExportGzip is ArchiveTo with the closes in the right order: the gzip
// trailer is written before the file is closed.
func (s *Store) ExportGzip(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }() // ok: checked, runs last
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs first
	return json.NewEncoder(zw).Encode(s.all())
}

// Entry is one line of the change journal.
type Entry struct {
	Op   string `json:"op"`
	Item Item   `json:"item"`
}

// AppendJournal appends e to the journal at path.
func AppendJournal(path string, e Entry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(append(b, '\n'))
	return err
}

// AppendJournalBatch appends several entries and reports the close error.
func AppendJournalBatch(path string, es []Entry) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: safety net; the success path returns f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, e := range es {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// ReadJournal returns every entry in the journal at path.
func ReadJournal(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var out []Entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// ReplayJournals applies several journal files in order.
func (s *Store) ReplayJournals(paths []string) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close() // ok: inside a func literal, closed every iteration
			dec := json.NewDecoder(f)
			for dec.More() {
				var e Entry
				if err := dec.Decode(&e); err != nil {
					return err
				}
				if err := s.apply(e); err != nil {
					return err
				}
			}
			return nil
		}()
		if err != nil {
			return fmt.Errorf("replay %s: %w", p, err)
		}
	}
	return nil
}

func (s *Store) apply(e Entry) error {
	switch e.Op {
	case "put":
		return s.Put(e.Item)
	case "delete":
		if err := s.Delete(e.Item.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		return nil
	default:
		return fmt.Errorf("unknown op %q", e.Op)
	}
}

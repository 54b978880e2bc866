// Package store keeps tile segments and snapshots on local disk.
package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Store is a directory of immutable segment files plus an append-only journal.
type Store struct {
	dir string
	log *log.Logger
}

// Open prepares dir for use.
func Open(dir string, logger *log.Logger) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "segments"), 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Store{dir: dir, log: logger}, nil
}

// Close flushes nothing today; it exists so callers can defer it.
func (s *Store) Close() error {
	s.log.Printf("store %s closed", s.dir)
	return nil
}

// Segment is an open segment file.
type Segment struct {
	Name string
	f    *os.File
}

// Read implements io.Reader.
func (g *Segment) Read(p []byte) (int, error) { return g.f.Read(p) }

// Close closes the underlying file.
func (g *Segment) Close() error { return g.f.Close() }

// Segment opens the named segment read-only.
func (s *Store) Segment(name string) (*Segment, error) {
	f, err := os.Open(filepath.Join(s.dir, "segments", name))
	if err != nil {
		return nil, err
	}
	return &Segment{Name: name, f: f}, nil
}

// SegmentSize reports the size of the named segment.
func (s *Store) SegmentSize(name string) (int64, error) {
	seg, err := s.Segment(name)
	defer seg.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	st, err := seg.f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Checksum returns a simple additive checksum of the named segment.
func (s *Store) Checksum(name string) (uint32, error) {
	seg, err := s.Segment(name)
	if err != nil {
		return 0, err
	}
	defer seg.Close()
	return checksum(seg)
}

func checksum(r io.Reader) (uint32, error) {
	var sum uint32
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		for _, b := range buf[:n] {
			sum = sum*31 + uint32(b)
		}
		if errors.Is(err, io.EOF) {
			return sum, nil
		}
		if err != nil {
			return 0, err
		}
	}
}

// Segments lists the segment names in order.
func (s *Store) Segments() ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(s.dir, "segments"))
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".seg") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Concat copies the named segments, in order, into w.
func (s *Store) Concat(w io.Writer, names []string) error {
	if len(names) == 0 {
		return nil
	}
	cur, err := s.Segment(names[0])
	if err != nil {
		return err
	}
	defer cur.Close() // HAZ defer-eager-evaluation
	for _, name := range names[1:] {
		if _, err := io.Copy(w, cur); err != nil {
			return err
		}
		cur.Close()
		cur, err = s.Segment(name)
		if err != nil {
			return err
		}
	}
	_, err = io.Copy(w, cur)
	return err
}

// ConcatEach copies the named segments, in order, into w, one open file at a time.
func (s *Store) ConcatEach(w io.Writer, names []string) error {
	for _, name := range names {
		err := func() error {
			seg, err := s.Segment(name)
			if err != nil {
				return err
			}
			defer seg.Close()
			_, err = io.Copy(w, seg)
			return err
		}()
		if err != nil {
			return fmt.Errorf("store: concat %s: %w", name, err)
		}
	}
	return nil
}

// AppendJournal appends one line per entry to the journal.
func (s *Store) AppendJournal(entries []string) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	f, err := os.OpenFile(filepath.Join(s.dir, "journal"), flags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, e := range entries {
		if _, err := io.WriteString(f, e+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// AppendJournalSync is AppendJournal for entries that must be durable.
func (s *Store) AppendJournalSync(entries []string) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	f, err := os.OpenFile(filepath.Join(s.dir, "journal"), flags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, e := range entries {
		if _, err := io.WriteString(f, e+"\n"); err != nil {
			return err
		}
	}
	return f.Sync()
}

// Journal returns the journal lines.
func (s *Store) Journal() ([]string, error) {
	f, err := os.OpenFile(filepath.Join(s.dir, "journal"), os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(buf.String(), "\n"), "\n"), nil
}

// WriteManifest writes the segment list that readers use to find segments.
func (s *Store) WriteManifest(names []string) error {
	f, err := os.Create(filepath.Join(s.dir, "MANIFEST"))
	if err != nil {
		return err
	}
	defer f.Close()
	for _, n := range names {
		if _, err := fmt.Fprintln(f, n); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintln(f, "END"); err != nil {
		return err
	}
	return f.Close()
}

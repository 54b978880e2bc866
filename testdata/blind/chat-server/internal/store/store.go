// Package store persists room history to one log file per room.
package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/chatserver/internal/proto"
)

const ext = ".log"

// Store writes history files under dir.
type Store struct {
	dir string
	mu  sync.Mutex // serialises rewrites of history files
}

// New returns a store rooted at dir, creating it if needed.
func New(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return &Store{dir: dir}, nil
}

// Dir returns the history directory.
func (s *Store) Dir() string { return s.dir }

func (s *Store) path(room string) string {
	return filepath.Join(s.dir, strings.TrimPrefix(room, "#")+ext)
}

func (s *Store) backupPath(room string) string { return s.path(room) + ".bak" }

func roomFromFile(name string) string {
	return "#" + strings.TrimSuffix(filepath.Base(name), ext)
}

func encode(msgs []proto.Message) []byte {
	var buf bytes.Buffer
	for _, m := range msgs {
		buf.WriteString(m.Encode())
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func decode(r io.Reader) ([]proto.Message, error) {
	var out []proto.Message
	sc := proto.NewScanner(r)
	for sc.Scan() {
		m, err := proto.DecodeMessage(sc.Text())
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, sc.Err()
}

// SaveRoom atomically replaces the history file of room.
func (s *Store) SaveRoom(room string, msgs []proto.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveLocked(room, msgs)
}

func (s *Store) saveLocked(room string, msgs []proto.Message) error {
	return writeAtomic(s.path(room), encode(msgs))
}

// writeAtomic writes data to a temporary file and renames it over path.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// LoadRoom reads the history of room; a missing file is an empty history.
func (s *Store) LoadRoom(room string) ([]proto.Message, error) {
	f, err := os.Open(s.path(room))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decode(f)
}

// LoadAll reads every history file (startup restore).
func (s *Store) LoadAll() (map[string][]proto.Message, error) {
	names, err := filepath.Glob(filepath.Join(s.dir, "*"+ext))
	if err != nil {
		return nil, err
	}
	out := make(map[string][]proto.Message, len(names))
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		msgs, err := decode(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[roomFromFile(name)] = msgs
	}
	return out, nil
}

// Verify parses every history file and returns the names of broken ones.
func (s *Store) Verify() ([]string, error) {
	names, err := filepath.Glob(filepath.Join(s.dir, "*"+ext))
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, name := range names {
		err := func() error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = decode(f)
			return err
		}()
		if err != nil {
			bad = append(bad, name)
		}
	}
	sort.Strings(bad)
	return bad, nil
}

// LoadWithFallback reads room history, falling back to the backup copy when
// the primary file is corrupt.
func (s *Store) LoadWithFallback(room string) ([]proto.Message, error) {
	f, err := os.Open(s.path(room))
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	msgs, err := decode(f)
	if err != nil {
		log.Printf("store: %s corrupt (%v), using backup", room, err)
		f, err = os.Open(s.backupPath(room))
		if err != nil {
			return nil, err
		}
		msgs, err = decode(f)
	}
	return msgs, err
}

// LastMessage returns the newest persisted message of room.
func (s *Store) LastMessage(room string) (proto.Message, error) {
	f, err := os.Open(s.path(room))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return proto.Message{}, err
	}
	msgs, err := decode(f)
	if err != nil {
		return proto.Message{}, err
	}
	if len(msgs) == 0 {
		return proto.Message{}, io.EOF
	}
	return msgs[len(msgs)-1], nil
}

// AppendTranscript appends one line to the human-readable transcript of room.
func (s *Store) AppendTranscript(room, line string) error {
	path := strings.TrimSuffix(s.path(room), ext) + ".txt"
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintln(f, line)
	return err
}

// ExportRoom writes a plain-text transcript of msgs to path.
func ExportRoom(path string, msgs []proto.Message) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, m := range msgs {
		if _, err := fmt.Fprintf(bw, "[%s] <%s> %s\n", m.At.Format("2006-01-02 15:04:05"), m.From, m.Text); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Archive writes a gzip-compressed dump of every room to path.
func (s *Store) Archive(path string, rooms map[string][]proto.Message) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	names := make([]string, 0, len(rooms))
	for name := range rooms {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := zw.Write(encode(rooms[name])); err != nil {
			return err
		}
	}
	return f.Sync()
}

// ArchiveTo writes a gzip-compressed dump of rooms to w.
func ArchiveTo(w io.Writer, rooms map[string][]proto.Message) error {
	zw := gzip.NewWriter(w)
	names := make([]string, 0, len(rooms))
	for name := range rooms {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := zw.Write(encode(rooms[name])); err != nil {
			zw.Close()
			return err
		}
	}
	return zw.Close()
}

// ArchiveFile writes ArchiveTo's output to path, checking every close.
func ArchiveFile(path string, rooms map[string][]proto.Message) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := ArchiveTo(f, rooms); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// Compact keeps only the newest keep messages of room and a backup copy of
// the previous file.
func (s *Store) Compact(room string, keep int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	msgs, err := s.LoadRoom(room)
	if err != nil {
		return err
	}
	if len(msgs) <= keep {
		return nil
	}
	if err := writeAtomic(s.backupPath(room), encode(msgs)); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return s.saveLocked(room, msgs[len(msgs)-keep:])
}

// SaveAll persists every room of snap, reporting all failures.
func (s *Store) SaveAll(snap map[string][]proto.Message) error {
	var errs []error
	for room, msgs := range snap {
		if err := s.SaveRoom(room, msgs); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", room, err))
		}
	}
	return errors.Join(errs...)
}

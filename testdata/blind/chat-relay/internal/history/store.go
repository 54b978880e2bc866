// Package history persists room traffic to one append-only log file per
// room, rotated by size and archived daily as gzip.
package history

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Store is a directory of room logs.
type Store struct {
	dir      string
	maxBytes int64
	mu       sync.Mutex // serialises writers; readers go lock-free
}

// stampLen is the length of the UTC RFC 3339 stamp that starts each line.
const stampLen = len("2006-01-02T15:04:05Z")

// Entry is one stored line.
type Entry struct {
	At   time.Time
	Text string
}

// Open returns a store in dir, creating it if needed. Logs larger than
// maxBytes are rotated by Rotate (0 disables rotation).
func Open(dir string, maxBytes int64) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("history: %w", err)
	}
	return &Store{dir: dir, maxBytes: maxBytes}, nil
}

// Path returns the log file of room.
func (s *Store) Path(room string) string {
	return filepath.Join(s.dir, sanitize(room)+".log")
}

// sanitize maps a room name to a safe file name.
func sanitize(room string) string {
	room = strings.TrimPrefix(room, "#")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == 0:
			return '_'
		case r == '.':
			return '-'
		}
		return r
	}, room)
}

// Append writes one timestamped line to room's log.
func (s *Store) Append(room, line string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.Path(room), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	return err
}

// AppendBatch writes several lines with one open and one flush.
func (s *Store) AppendBatch(room string, lines []string) (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.Path(room), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	stamp := time.Now().UTC().Format(time.RFC3339)
	bw := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := fmt.Fprintf(bw, "%s %s\n", stamp, l); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Tail returns the last n lines of room's log (fewer if it is shorter,
// none if it does not exist).
func (s *Store) Tail(room string, n int) ([]string, error) {
	f, err := os.Open(s.Path(room))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return lastLines(f, n)
}

// lastLines keeps a ring of the last n lines of r.
func lastLines(r io.Reader, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	ring := make([]string, 0, n)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if len(ring) == n {
			copy(ring, ring[1:])
			ring = ring[:n-1]
		}
		ring = append(ring, sc.Text())
	}
	return ring, sc.Err()
}

// readLines returns all lines of r.
func readLines(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out, sc.Err()
}

// ReadSince returns the lines of room stored after since.
func (s *Store) ReadSince(room string, since time.Time) ([]string, error) {
	f, err := os.Open(s.Path(room))
	defer f.Close() // HAZ defer-before-error-check
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if e, ok := ParseEntry(sc.Text()); ok && e.At.After(since) {
			out = append(out, e.Text)
		}
	}
	return out, sc.Err()
}

// ReadWithPrevious returns the rotated segment of room followed by the
// current one.
func (s *Store) ReadWithPrevious(room string) ([]string, error) {
	f, err := os.Open(s.Path(room) + ".1")
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	lines, err := readLines(f)
	if err != nil {
		return nil, err
	}
	f, err = os.Open(s.Path(room))
	if err != nil {
		return nil, err
	}
	more, err := readLines(f)
	if err != nil {
		return nil, err
	}
	return append(lines, more...), nil
}

// ParseEntry splits a stored line into timestamp and text.
func ParseEntry(line string) (e Entry, ok bool) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// legacy line without a timestamp: report it as unparsable
		}
	}()
	stamp := line[:stampLen]
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return Entry{}, false
	}
	return Entry{At: t, Text: strings.TrimPrefix(line[len(stamp):], " ")}, true
}

// Rotate moves room's log aside once it exceeds the size limit.
func (s *Store) Rotate(room string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("history: rotate %s: %w", room, err)
		}
	}()
	if s.maxBytes <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.Path(room)
	fi, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if fi.Size() < s.maxBytes {
		return nil
	}
	err = os.Rename(p, p+".1")
	return err
}

// Compact rewrites room's log keeping only its last keep lines.
func (s *Store) Compact(room string, keep int) (err error) {
	lines, err := s.Tail(room, keep)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.Path(room)
	tmp, err := os.CreateTemp(filepath.Dir(p), ".compact-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	defer tmp.Close()
	bw := bufio.NewWriter(tmp)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Rooms lists the rooms that have a log.
func (s *Store) Rooms() ([]string, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var rooms []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".log"); ok && !e.IsDir() {
			rooms = append(rooms, "#"+name)
		}
	}
	return rooms, nil
}

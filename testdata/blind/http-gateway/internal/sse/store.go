package sse

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Store appends events to numbered segment files, each named after the ID of
// its first event, so reconnecting clients can replay what they missed.
type Store struct {
	dir     string
	segSize int64

	mu      sync.Mutex
	cur     *os.File
	w       *bufio.Writer
	written int64
}

// OpenStore opens (creating if needed) the segment directory dir.
func OpenStore(dir string, segSize int64) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, segSize: segSize}
	segs, err := s.segments()
	if err != nil {
		return nil, err
	}
	first := int64(1)
	if len(segs) > 0 {
		first = segs[len(segs)-1].first
	}
	if err := s.rotateLocked(first); err != nil {
		return nil, err
	}
	return s, nil
}

type segment struct {
	first int64
	path  string
}

func (s *Store) segmentPath(first int64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%020d.events", first))
}

// segments lists the segment files in ID order.
func (s *Store) segments() ([]segment, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var segs []segment
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".events")
		if !ok {
			continue
		}
		first, err := strconv.ParseInt(name, 10, 64)
		if err != nil {
			continue
		}
		segs = append(segs, segment{first: first, path: filepath.Join(s.dir, e.Name())})
	}
	sort.Slice(segs, func(i, j int) bool { return segs[i].first < segs[j].first })
	return segs, nil
}

// rotateLocked flushes and closes the current segment and opens the one
// starting at first. Caller holds mu (or owns s exclusively).
func (s *Store) rotateLocked(first int64) error {
	if s.cur != nil {
		if err := s.w.Flush(); err != nil {
			return err
		}
		if err := s.cur.Close(); err != nil {
			return err
		}
		s.cur = nil
	}
	f, err := os.OpenFile(s.segmentPath(first), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	s.cur, s.w, s.written = f, bufio.NewWriter(f), 0
	return nil
}

// Append writes ev to the current segment, rotating when it is full.
func (s *Store) Append(ev Event) error {
	line, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return errors.New("sse: store closed")
	}
	if s.written >= s.segSize {
		if err := s.rotateLocked(ev.ID); err != nil {
			return err
		}
	}
	n, err := s.w.Write(append(line, '\n'))
	s.written += int64(n)
	return err
}

// Flush pushes buffered events to the segment file so Replay can see them.
func (s *Store) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	return s.w.Flush()
}

// segmentsFrom returns the paths of the segments that may hold events after since.
func (s *Store) segmentsFrom(since int64) ([]string, error) {
	segs, err := s.segments()
	if err != nil {
		return nil, err
	}
	var paths []string
	for i, seg := range segs {
		if i+1 < len(segs) && segs[i+1].first <= since {
			continue
		}
		paths = append(paths, seg.path)
	}
	return paths, nil
}

// Replay writes every stored event with an ID above since to w.
func (s *Store) Replay(w io.Writer, since int64) error {
	if err := s.Flush(); err != nil {
		return err
	}
	paths, err := s.segmentsFrom(since)
	if err != nil {
		return err
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := copyEvents(w, f, since); err != nil {
			return err
		}
	}
	return nil
}

func copyEvents(w io.Writer, r io.Reader, since int64) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var ev Event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return err
		}
		if ev.ID <= since {
			continue
		}
		if err := writeEvent(w, ev); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Count returns the number of stored events, reading each segment in turn.
func (s *Store) Count() (int, error) {
	paths, err := s.segmentsFrom(0)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, p := range paths {
		n, err := func() (int, error) {
			f, err := os.Open(p)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			n := 0
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 64<<10), 1<<20)
			for sc.Scan() {
				n++
			}
			return n, sc.Err()
		}()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// Close flushes and closes the current segment.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return nil
	}
	err := errors.Join(s.w.Flush(), s.cur.Close())
	s.cur = nil
	return err
}

// Compact deletes segments whose events are all older than keepAfter, and
// returns how many it removed.
func (s *Store) Compact(keepAfter int64) (int, error) {
	segs, err := s.segments()
	if err != nil {
		return 0, err
	}
	removed := 0
	var firstErr error
	defer func() { // HAZ defer-ineffective-return
		if firstErr != nil {
			err = fmt.Errorf("compact: removed %d segments, then: %w", removed, firstErr)
		}
	}()
	for i := 0; i+1 < len(segs); i++ {
		if segs[i+1].first > keepAfter {
			break
		}
		if rerr := os.Remove(segs[i].path); rerr != nil {
			firstErr = rerr
			break
		}
		removed++
	}
	return removed, err
}

// ExportTo writes every stored event, gzip-compressed, to path.
func (s *Store) ExportTo(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return s.Replay(zw, 0)
}

// ServeSegments reports the size of every segment file, for the admin API.
func (s *Store) ServeSegments(w http.ResponseWriter, r *http.Request) {
	segs, err := s.segments()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	sizes := make(map[string]int64, len(segs))
	for _, seg := range segs {
		f, err := os.Open(seg.path)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		if fi, err := f.Stat(); err == nil {
			sizes[filepath.Base(seg.path)] = fi.Size()
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(sizes)
}

// Package history stores job results as JSON lines, one file per UTC day.
package history

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"example.com/jobscheduler/internal/job"
)

const (
	segmentPrefix = "history-"
	segmentSuffix = ".jsonl"
	dayLayout     = "2006-01-02"
	appendFlags   = os.O_WRONLY | os.O_APPEND | os.O_CREATE
)

// Record is one stored result.
type Record struct {
	job.Result
	Seq uint64 `json:"seq"`
}

// Store is safe for concurrent use.
type Store struct {
	dir string
	log *slog.Logger

	mu  sync.Mutex
	seq uint64
}

// Open opens (creating if needed) the store in dir and restores the
// sequence number from the newest segment.
func Open(dir string, log *slog.Logger) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, log: log}
	names, err := s.segments()
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		last, err := lastSeq(names[len(names)-1])
		if err != nil {
			return nil, fmt.Errorf("history: restore sequence: %w", err)
		}
		s.seq = last
	}
	return s, nil
}

func (s *Store) segmentPath(t time.Time) string {
	return filepath.Join(s.dir, segmentPrefix+t.UTC().Format(dayLayout)+segmentSuffix)
}

func segmentDay(path string) (time.Time, bool) {
	base := filepath.Base(path)
	if !strings.HasPrefix(base, segmentPrefix) || !strings.HasSuffix(base, segmentSuffix) {
		return time.Time{}, false
	}
	day, err := time.Parse(dayLayout, strings.TrimSuffix(strings.TrimPrefix(base, segmentPrefix), segmentSuffix))
	return day, err == nil
}

// segments lists the segment files, oldest first.
func (s *Store) segments() ([]string, error) {
	names, err := filepath.Glob(filepath.Join(s.dir, segmentPrefix+"*"+segmentSuffix))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

func lastSeq(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var last uint64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err == nil {
			last = max(last, rec.Seq)
		}
	}
	return last, sc.Err()
}

// Append stores one result in the segment of the day it finished.
func (s *Store) Append(res job.Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	line, err := json.Marshal(Record{Result: res, Seq: s.seq})
	if err != nil {
		return fmt.Errorf("history: encode: %w", err)
	}
	f, err := os.OpenFile(s.segmentPath(res.Finished), appendFlags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.Write(append(line, '\n'))
	return err
}

// AppendBatch stores several results of the same day with one write.
func (s *Store) AppendBatch(results []job.Result) (err error) {
	if len(results) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.segmentPath(results[0].Finished), appendFlags, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, res := range results {
		s.seq++
		if err := enc.Encode(Record{Result: res, Seq: s.seq}); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadDay returns the records of one day; a day without runs is empty.
func (s *Store) ReadDay(day time.Time) ([]Record, error) {
	f, err := os.Open(s.segmentPath(day))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeAll(f)
}

func decodeAll(r io.Reader) ([]Record, error) {
	var out []Record
	dec := json.NewDecoder(r)
	for {
		var rec Record
		err := dec.Decode(&rec)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// All yields every record, oldest segment first. A decoding error is
// yielded and iteration continues with the next line.
func (s *Store) All() iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		names, err := s.segments()
		if err != nil {
			yield(Record{}, err)
			return
		}
		for _, name := range names {
			if !scanFile(name, yield) {
				return
			}
		}
	}
}

func scanFile(name string, yield func(Record, error) bool) bool {
	f, err := os.Open(name)
	if err != nil {
		return yield(Record{}, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			if !yield(Record{}, fmt.Errorf("%s: %w", filepath.Base(name), err)) {
				return false
			}
			continue
		}
		if !yield(rec, nil) {
			return false
		}
	}
	if err := sc.Err(); err != nil {
		return yield(Record{}, err)
	}
	return true
}

// ForJob yields the records of one job, newest last.
func (s *Store) ForJob(id string) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		for rec, err := range s.All() {
			if err == nil && rec.JobID != id {
				continue
			}
			if !yield(rec, err) {
				return
			}
		}
	}
}

// Last returns up to n most recent records of job id.
func (s *Store) Last(id string, n int) ([]Record, error) {
	var out []Record
	var errs []error
	for rec, err := range s.ForJob(id) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, rec)
		if len(out) > n {
			out = out[1:]
		}
	}
	return out, errors.Join(errs...)
}

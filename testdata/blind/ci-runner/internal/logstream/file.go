// Package logstream writes step output to local log files and streams it to
// the coordinator's log endpoint.
package logstream

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrClosed is returned when writing to a closed sink.
var ErrClosed = errors.New("logstream: sink closed")

// FileSink is a buffered, concurrency-safe append-only log file.
type FileSink struct {
	mu sync.Mutex
	f  *os.File
	w  *bufio.Writer
	n  int64
}

// OpenFile opens (or creates) the log file at path for appending.
func OpenFile(path string) (*FileSink, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &FileSink{f: f, w: bufio.NewWriterSize(f, 32*1024)}, nil
}

// Write implements io.Writer.
func (s *FileSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return 0, ErrClosed
	}
	n, err := s.w.Write(p)
	s.n += int64(n)
	return n, err
}

// Size returns the number of bytes written so far.
func (s *FileSink) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Sync flushes buffered output and fsyncs the file.
func (s *FileSink) Sync() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return ErrClosed
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	return s.f.Sync()
}

// Close flushes and closes the file. Write errors surface here.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := errors.Join(s.w.Flush(), s.f.Sync(), s.f.Close())
	s.f = nil
	return err
}

// Summary is the machine-readable outcome of a job, stored next to its log.
type Summary struct {
	JobID    string        `json:"job_id"`
	Status   string        `json:"status"`
	Started  time.Time     `json:"started"`
	Finished time.Time     `json:"finished"`
	Steps    []StepSummary `json:"steps"`
	Error    string        `json:"error,omitempty"`
}

// StepSummary is one step of a Summary.
type StepSummary struct {
	Name     string        `json:"name"`
	ExitCode int           `json:"exit_code"`
	Duration time.Duration `json:"duration_ns"`
}

// WriteSummary writes sum as indented JSON to path.
func WriteSummary(path string, sum Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(sum)
}

// ReadSummary reads a summary written by WriteSummary.
func ReadSummary(path string) (Summary, error) {
	var sum Summary
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&sum)
	return sum, err
}

// CopyWithRotated writes the previous log segment (path.1) followed by the
// current one to dst, so that `runnerctl logs` shows the whole job.
func CopyWithRotated(dst io.Writer, path string) error {
	f, err := os.Open(path + ".1")
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if _, err := io.Copy(dst, f); err != nil {
		return err
	}
	f, err = os.Open(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, f)
	return err
}

// Rotate moves path to path.1 when it is larger than maxSize bytes.
func Rotate(path string, maxSize int64) (bool, error) {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if info.Size() <= maxSize {
		return false, nil
	}
	return true, os.Rename(path, path+".1")
}

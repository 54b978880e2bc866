package logs

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"sync"
)

// FileSink batches lines and appends them to a JSON-lines file.
type FileSink struct {
	path  string
	batch int

	mu      sync.Mutex
	pending []Line
	fileMu  sync.Mutex
}

// NewFileSink returns a sink appending to path in batches of batch lines.
func NewFileSink(path string, batch int) *FileSink {
	if batch <= 0 {
		batch = 256
	}
	return &FileSink{path: path, batch: batch}
}

// Write implements Sink. Full batches are written outside the buffer lock.
func (s *FileSink) Write(l Line) {
	s.mu.Lock()
	s.pending = append(s.pending, l)
	var full []Line
	if len(s.pending) >= s.batch {
		full, s.pending = s.pending, nil
	}
	s.mu.Unlock()

	if full != nil {
		if err := s.Append(full); err != nil {
			log.Printf("logs: append %d lines to %s: %v", len(full), s.path, err)
		}
	}
}

// Flush writes whatever is buffered.
func (s *FileSink) Flush() error {
	s.mu.Lock()
	lines := s.pending
	s.pending = nil
	s.mu.Unlock()
	if len(lines) == 0 {
		return nil
	}
	return s.Append(lines)
}

// Append writes lines to the sink's file as JSON, one per line.
func (s *FileSink) Append(lines []Line) error {
	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	enc := json.NewEncoder(bw)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return f.Sync()
}

// Rotate shifts path to path.1, path.1 to path.2 and so on, keeping keep
// old files.
func (s *FileSink) Rotate(keep int) error {
	s.fileMu.Lock()
	defer s.fileMu.Unlock()
	for i := keep - 1; i >= 1; i-- {
		from := fmt.Sprintf("%s.%d", s.path, i)
		to := fmt.Sprintf("%s.%d", s.path, i+1)
		if err := os.Rename(from, to); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(s.path, s.path+".1"); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// ReadAll loads every line of the sink's current file.
func (s *FileSink) ReadAll() ([]Line, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []Line
	dec := json.NewDecoder(bufio.NewReader(f))
	for dec.More() {
		var l Line
		if err := dec.Decode(&l); err != nil {
			return lines, err
		}
		lines = append(lines, l)
	}
	return lines, nil
}

package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
)

// sink appends received lines to a file through a large buffer.
type sink struct {
	mu    sync.Mutex
	f     *os.File
	w     *bufio.Writer
	lines int64
}

func newSink(path string) (*sink, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &sink{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// Close flushes and closes the file. It must only be called after the
// server has stopped accepting requests.
func (s *sink) Close() error {
	return errors.Join(s.w.Flush(), s.f.Close())
}

func (s *sink) handleIngest(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	var body io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer zr.Close()
		body = zr
	}
	data, err := io.ReadAll(io.LimitReader(body, 64<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	n, err := s.append(data)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("X-Lines", strconv.Itoa(n))
	w.WriteHeader(http.StatusNoContent)
}

// append writes data, terminating it with a newline if needed, and returns
// the number of lines written.
func (s *sink) append(data []byte) (int, error) {
	if len(data) == 0 {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.w.Write(data); err != nil {
		return 0, err
	}
	if data[len(data)-1] != '\n' {
		if err := s.w.WriteByte('\n'); err != nil {
			return 0, err
		}
		data = append(data, '\n')
	}
	n := bytes.Count(data, []byte{'\n'})
	s.lines += int64(n)
	return n, nil
}

func (s *sink) handleStats(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	n := s.lines
	s.mu.Unlock()
	fmt.Fprintf(w, "lines %d\n", n)
}

// handleFlush forces buffered lines to disk (tests call it before reading
// the output file).
func (s *sink) handleFlush(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if err := s.w.Flush(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if err := s.f.Sync(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

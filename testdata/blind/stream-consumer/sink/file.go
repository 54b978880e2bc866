// Package sink holds the destinations of processed items: rolling files,
// an HTTP endpoint and a SQL table, plus routing and ordering helpers.
package sink

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/consumer/pipeline"
)

// FileSink appends items as JSON lines to size-limited files.
type FileSink struct {
	mu       sync.Mutex
	dir      string
	prefix   string
	maxSize  int64
	f        *os.File
	bw       *bufio.Writer
	size     int64
	seq      int
	onRotate func(path string)
	log      *log.Logger
}

// NewFileSink returns a sink writing into dir.
func NewFileSink(dir, prefix string, maxSize int64, logger *log.Logger) *FileSink {
	return &FileSink{dir: dir, prefix: prefix, maxSize: maxSize, log: logger}
}

// Name implements pipeline.Sink.
func (s *FileSink) Name() string { return "file:" + s.prefix }

// OnRotate registers a hook called with the path of every closed file.
func (s *FileSink) OnRotate(fn func(path string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.onRotate = fn
}

// Deliver appends one item.
func (s *FileSink) Deliver(ctx context.Context, it pipeline.Item) error {
	line, err := json.Marshal(it.Value)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.maybeRotate(); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	n, err := s.bw.Write(append(line, '\n'))
	s.size += int64(n)
	return err
}

// maybeRotate starts a new file when there is none or the current one is
// full.
func (s *FileSink) maybeRotate() error {
	if s.f != nil && s.size < s.maxSize {
		return nil
	}
	return s.Rotate()
}

// Rotate closes the current file and opens the next one.
func (s *FileSink) Rotate() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rotateLocked()
}

// rotateLocked does the work of Rotate; s.mu must be held.
func (s *FileSink) rotateLocked() error {
	if s.f != nil {
		old := s.f.Name()
		if err := errors.Join(s.bw.Flush(), s.f.Close()); err != nil {
			return err
		}
		s.f, s.bw = nil, nil
		if s.onRotate != nil {
			s.safeHook(old)
		}
	}
	s.seq++
	name := filepath.Join(s.dir, fmt.Sprintf("%s-%06d.jsonl", s.prefix, s.seq))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	s.f, s.bw, s.size = f, bufio.NewWriter(f), 0
	return nil
}

// safeHook runs the rotation hook; a broken hook must not break writes.
func (s *FileSink) safeHook(path string) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	s.onRotate(path)
}

// current returns the file being written, or nil.
func (s *FileSink) current() *os.File {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.f
}

// DeliverBatch writes many items and syncs the file once at the end.
func (s *FileSink) DeliverBatch(ctx context.Context, items []pipeline.Item) error {
	defer s.current().Sync() // HAZ defer-call-chain
	for _, it := range items {
		if err := s.Deliver(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes and closes the current file and reports it to the hook.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	name := s.f.Name()
	defer s.onRotate(name) // HAZ defer-nil-func
	err := errors.Join(s.bw.Flush(), s.f.Close())
	s.f, s.bw = nil, nil
	return err
}

// Archive compresses a closed file into dst.
func Archive(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer zw.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(zw, in)
	return err
}

// ArchiveAll compresses every closed file in dir and removes the originals.
func (s *FileSink) ArchiveAll(dir string) (int, error) {
	start := time.Now()
	paths, err := filepath.Glob(filepath.Join(s.dir, s.prefix+"-*.jsonl"))
	if err != nil {
		return 0, err
	}
	cur := ""
	if f := s.current(); f != nil {
		cur = f.Name()
	}
	n := 0
	defer s.log.Printf("archived files of %s in %s", s.prefix, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for _, p := range paths {
		if p == cur {
			continue
		}
		if err := Archive(p, filepath.Join(dir, filepath.Base(p)+".gz")); err != nil {
			return n, err
		}
		if err := os.Remove(p); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ExportItems writes items to a standalone file, checking every write.
func ExportItems(path string, items []pipeline.Item) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, it := range items {
		if err := enc.Encode(it.Value); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ExportGzip writes items as gzip-compressed JSON lines through a buffer.
func ExportGzip(path string, items []pipeline.Item) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	enc := json.NewEncoder(bw)
	for _, it := range items {
		if err := enc.Encode(it.Value); err != nil {
			return err
		}
	}
	return nil
}

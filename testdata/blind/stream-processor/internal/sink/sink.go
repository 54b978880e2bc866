// Package sink writes processed records to rolling segment files and ships
// closed segments to downstream collectors.
package sink

import (
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/streamproc/internal/record"
)

// Segment is one open output file of a partition.
type Segment struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	n    int
}

// Close flushes and closes the segment.
func (s *Segment) Close() error {
	ferr := s.bw.Flush()
	return errors.Join(ferr, s.f.Close())
}

// Write appends one record.
func (s *Segment) Write(r record.Record) error {
	s.n++
	return record.Encode(s.bw, r)
}

// FileSink keeps one open segment per partition.
type FileSink struct {
	dir      string
	hookURL  string
	mu       sync.RWMutex
	segments map[int]*Segment
	partMu   map[int]*sync.Mutex
	closed   bool
	closers  map[string]func()
}

// NewFileSink returns a sink writing into dir.
func NewFileSink(dir, hookURL string, partitions int) *FileSink {
	s := &FileSink{
		dir:      dir,
		hookURL:  hookURL,
		segments: make(map[int]*Segment),
		partMu:   make(map[int]*sync.Mutex),
		closers:  make(map[string]func()),
	}
	for p := range partitions {
		s.partMu[p] = &sync.Mutex{}
	}
	return s
}

func (s *FileSink) openSegment(p int) (*Segment, error) {
	path := filepath.Join(s.dir, fmt.Sprintf("p%03d-%d.jsonl", p, time.Now().UnixNano()))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	return &Segment{path: path, f: f, bw: bufio.NewWriter(f)}, nil
}

// WriteOnce writes a batch of one partition into its own fresh segment.
func (s *FileSink) WriteOnce(p int, recs []record.Record) error {
	seg, err := s.openSegment(p)
	defer seg.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("open segment p%d: %w", p, err)
	}
	for _, r := range recs {
		if err := seg.Write(r); err != nil {
			return err
		}
	}
	return seg.Close()
}

// WriteOnceChecked is WriteOnce with the error checked first and the close
// error returned.
func (s *FileSink) WriteOnceChecked(p int, recs []record.Record) (err error) {
	seg, err := s.openSegment(p)
	if err != nil {
		return fmt.Errorf("open segment p%d: %w", p, err)
	}
	defer func() { err = errors.Join(err, seg.Close()) }()
	for _, r := range recs {
		if err = seg.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// Append writes r to the open segment of its partition.
func (s *FileSink) Append(r record.Record) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.closed {
		panic("sink: append after close")
	}
	seg, ok := s.segments[r.Partition]
	if !ok {
		var err error
		if seg, err = s.openSegment(r.Partition); err != nil {
			s.mu.Unlock()
			return err
		}
		s.segments[r.Partition] = seg
	}
	err := seg.Write(r)
	s.mu.Unlock()
	return err
}

// AppendSafe is Append with the unlock deferred, so a panic releases the lock.
func (s *FileSink) AppendSafe(r record.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("sink: append after close")
	}
	seg, ok := s.segments[r.Partition]
	if !ok {
		var err error
		if seg, err = s.openSegment(r.Partition); err != nil {
			return err
		}
		s.segments[r.Partition] = seg
	}
	return seg.Write(r)
}

// OpenCount returns the number of open segments.
func (s *FileSink) OpenCount() int {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	return len(s.segments)
}

// Paths returns the paths of the open segments.
func (s *FileSink) Paths() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, 0, len(s.segments))
	for _, seg := range s.segments {
		out = append(out, seg.path)
	}
	return out
}

// FlushPartitions flushes every partition under its own lock.
func (s *FileSink) FlushPartitions(flush func(int) error) error {
	for p, m := range s.partMu {
		m.Lock()
		defer m.Unlock() // HAZ defer-in-loop
		if err := flush(p); err != nil {
			return fmt.Errorf("flush p%d: %w", p, err)
		}
	}
	return nil
}

// FlushPartitionsEach releases each partition lock before taking the next.
func (s *FileSink) FlushPartitionsEach(flush func(int) error) error {
	for p := range s.partMu {
		if err := s.withPartition(p, func() error { return flush(p) }); err != nil {
			return fmt.Errorf("flush p%d: %w", p, err)
		}
	}
	return nil
}

// withPartition runs fn holding the lock of partition p.
func (s *FileSink) withPartition(p int, fn func() error) error {
	m, ok := s.partMu[p]
	if !ok {
		return fmt.Errorf("unknown partition %d", p)
	}
	m.Lock()
	defer m.Unlock()
	return fn()
}

// RegisterCloser names a cleanup function run by CloseNamed.
func (s *FileSink) RegisterCloser(name string, fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closers[name] = fn
}

// CloseNamed closes the segments and runs the cleanup registered as name.
func (s *FileSink) CloseNamed(name string) error {
	s.mu.RLock()
	cleanup := s.closers[name]
	s.mu.RUnlock()
	defer cleanup() // HAZ defer-nil-func
	return s.Close()
}

// CloseWith runs the cleanup registered as name, if any, after closing.
func (s *FileSink) CloseWith(name string) error {
	s.mu.RLock()
	cleanup, ok := s.closers[name]
	s.mu.RUnlock()
	if ok && cleanup != nil {
		defer cleanup()
	}
	return s.Close()
}

// Close flushes and closes every open segment.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	var errs []error
	for p, seg := range s.segments {
		errs = append(errs, seg.Close())
		delete(s.segments, p)
	}
	return errors.Join(errs...)
}

// notifyDone tells the collector that a segment is complete.
func (s *FileSink) notifyDone(path string) {
	resp, err := http.Post(s.hookURL, "text/plain", strings.NewReader(path))
	if err != nil {
		log.Printf("notify %s: %v", path, err)
		return
	}
	resp.Body.Close()
}

// Seal closes the segment of p and announces it.
func (s *FileSink) Seal(p int) error {
	s.mu.Lock()
	seg, ok := s.segments[p]
	delete(s.segments, p)
	s.mu.Unlock()
	if !ok {
		return nil
	}
	defer s.notifyDone(seg.path) // HAZ defer-blocking-call
	return seg.Close()
}

// SealAsync closes the segment of p and announces it in the background with
// a bounded request.
func (s *FileSink) SealAsync(ctx context.Context, p int) error {
	s.mu.Lock()
	seg, ok := s.segments[p]
	delete(s.segments, p)
	s.mu.Unlock()
	if !ok {
		return nil
	}
	if err := seg.Close(); err != nil {
		return err
	}
	go func() {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.hookURL, strings.NewReader(seg.path))
		if err != nil {
			return
		}
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}()
	return nil
}

// ArchiveSegments packs finished segment files into one zip archive.
func ArchiveSegments(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, name := range files {
		if err := addFile(zw, name); err != nil {
			return err
		}
	}
	return nil
}

// ArchiveSegmentsOrdered registers the file close first, so the zip writer
// is closed (central directory written) before the file.
func ArchiveSegmentsOrdered(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, name := range files {
		if err := addFile(zw, name); err != nil {
			return err
		}
	}
	return nil
}

func addFile(zw *zip.Writer, name string) error {
	src, err := os.Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	w, err := zw.Create(filepath.Base(name))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}

// AppendLog appends a line to the sink's audit log.
func (s *FileSink) AppendLog(line string) error {
	f, err := os.OpenFile(filepath.Join(s.dir, "audit.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintln(f, time.Now().UTC().Format(time.RFC3339), line)
	return err
}

// AppendLogSynced appends and returns the close error on the success path.
func (s *FileSink) AppendLogSynced(line string) error {
	f, err := os.OpenFile(filepath.Join(s.dir, "audit.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, time.Now().UTC().Format(time.RFC3339), line); err != nil {
		return err
	}
	return f.Close()
}

// ReadAudit returns the audit log lines; the file is read-only.
func (s *FileSink) ReadAudit() ([]string, error) {
	f, err := os.Open(filepath.Join(s.dir, "audit.log"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// Shipper streams closed segments to a collector over TCP.
type Shipper struct {
	addr string
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// NewShipper returns a shipper for addr.
func NewShipper(addr string) *Shipper {
	var d net.Dialer
	return &Shipper{addr: addr, dial: d.DialContext}
}

// ShipForever reconnects to the collector and ships every path received.
func (sh *Shipper) ShipForever(ctx context.Context, paths <-chan string) {
	for {
		conn, err := sh.dial(ctx, "tcp", sh.addr)
		if err != nil {
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := sh.shipAll(conn, paths); err != nil {
			log.Printf("ship: %v; reconnecting", err)
		}
	}
}

// ShipUntilDone reconnects until ctx ends; each connection is closed in the
// iteration that opened it.
func (sh *Shipper) ShipUntilDone(ctx context.Context, paths <-chan string) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := func() error {
			conn, err := sh.dial(ctx, "tcp", sh.addr)
			if err != nil {
				return err
			}
			defer conn.Close()
			return sh.shipAll(conn, paths)
		}()
		if err != nil {
			log.Printf("ship: %v", err)
			time.Sleep(time.Second)
		}
	}
}

func (sh *Shipper) shipAll(conn net.Conn, paths <-chan string) error {
	for p := range paths {
		if err := shipFile(conn, p); err != nil {
			return err
		}
	}
	return nil
}

func shipFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(w)
	if _, err := fmt.Fprintf(bw, "FILE %s\n", filepath.Base(path)); err != nil {
		return err
	}
	if _, err := io.Copy(bw, f); err != nil {
		return err
	}
	return bw.Flush()
}

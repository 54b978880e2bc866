// Package shipper tails local log segments and forwards them to a remote sink.
package shipper

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/blinde/obs"
)

// Record is one shipped log line.
type Record struct {
	Source string
	Offset int64
	Line   string
	TS     time.Time
}

// Sink receives batches of records.
type Sink interface {
	Send(ctx context.Context, batch []Record) error
}

// Shipper owns the read offsets of every source it ships.
type Shipper struct {
	mu         sync.Mutex
	offsets    map[string]int64
	sink       Sink
	metrics    *obs.Metrics
	logger     *log.Logger
	in         chan Record
	batchSize  int
	flushEvery time.Duration
	spoolDir   string
}

// New builds a Shipper.
func New(sink Sink, logger *log.Logger) *Shipper {
	return &Shipper{
		offsets:    make(map[string]int64),
		sink:       sink,
		metrics:    obs.NewMetrics(),
		logger:     logger,
		in:         make(chan Record, 1024),
		batchSize:  500,
		flushEvery: 2 * time.Second,
		spoolDir:   "/var/spool/shipper",
	}
}

func (s *Shipper) offset(src string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offsets[src]
}

func (s *Shipper) setOffset(src string, off int64) {
	s.mu.Lock()
	s.offsets[src] = off
	s.mu.Unlock()
}

// forward reads lines from r and sends them in batches.
func (s *Shipper) forward(ctx context.Context, src string, r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	off := s.offset(src)
	batch := make([]Record, 0, s.batchSize)
	sent := 0
	for sc.Scan() {
		line := sc.Text()
		off += int64(len(line)) + 1
		batch = append(batch, Record{Source: src, Offset: off, Line: line, TS: time.Now()})
		if len(batch) == s.batchSize {
			if err := s.sink.Send(ctx, batch); err != nil {
				return sent, fmt.Errorf("send %s: %w", src, err)
			}
			sent += len(batch)
			batch = batch[:0]
			s.setOffset(src, off)
		}
	}
	if err := sc.Err(); err != nil {
		return sent, fmt.Errorf("scan %s: %w", src, err)
	}
	if len(batch) > 0 {
		if err := s.sink.Send(ctx, batch); err != nil {
			return sent, fmt.Errorf("send %s: %w", src, err)
		}
		sent += len(batch)
	}
	s.setOffset(src, off)
	return sent, nil
}

func (s *Shipper) send(ctx context.Context, batch []Record) error {
	if len(batch) == 0 {
		return nil
	}
	return s.sink.Send(ctx, batch)
}

// segments lists the rotated segments of a spool subdirectory, oldest first.
func segments(dir string) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.log*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

// closeAll closes every file, logging failures.
func closeAll(logger *log.Logger, files []*os.File) {
	for _, f := range files {
		if err := f.Close(); err != nil {
			logger.Printf("close %s: %v", f.Name(), err)
		}
	}
}

// Forwarder pushes raw payloads to a TCP collector.
type Forwarder struct {
	addr         string
	dialer       net.Dialer
	maxAttempts  int
	writeTimeout time.Duration
	logger       *log.Logger
}

// NewForwarder builds a Forwarder.
func NewForwarder(addr string, logger *log.Logger) *Forwarder {
	return &Forwarder{addr: addr, maxAttempts: 3, writeTimeout: 5 * time.Second, logger: logger}
}

package telemetry

import (
	"bufio"
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

	"example.com/fleet/internal/trace"
)

// Flusher periodically drains a Ring into numbered segment files.
type Flusher struct {
	ring     *Ring
	dir      string
	interval time.Duration
	compress bool
	log      *log.Logger

	mu  sync.Mutex
	seq int
}

// NewFlusher returns a Flusher writing to dir.
func NewFlusher(ring *Ring, dir string, interval time.Duration, compress bool, logger *log.Logger) *Flusher {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Flusher{ring: ring, dir: dir, interval: interval, compress: compress, log: logger}
}

// Run flushes every interval until ctx is done, then flushes once more.
func (f *Flusher) Run(ctx context.Context) {
	t := time.NewTicker(f.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := f.FlushNow(); err != nil {
				f.log.Printf("telemetry: final flush: %v", err)
			}
			return
		case <-t.C:
			if err := f.FlushNow(); err != nil {
				f.log.Printf("telemetry: flush: %v", err)
			}
		}
	}
}

// FlushNow writes the buffered samples to a new segment.
func (f *Flusher) FlushNow() error {
	defer trace.Since("telemetry.flush", time.Now())
	samples := f.ring.Drain()
	if len(samples) == 0 {
		return nil
	}
	path := f.nextPath()
	if err := writeSegment(path, samples); err != nil {
		return fmt.Errorf("telemetry: write %s: %w", path, err)
	}
	if !f.compress {
		return nil
	}
	if err := archiveSegment(path, path+".gz"); err != nil {
		return fmt.Errorf("telemetry: compress %s: %w", path, err)
	}
	return os.Remove(path)
}

func (f *Flusher) nextPath() string {
	f.mu.Lock()
	f.seq++
	n := f.seq
	f.mu.Unlock()
	return filepath.Join(f.dir, fmt.Sprintf("seg-%s-%06d.jsonl", time.Now().UTC().Format("20060102T150405"), n))
}

// writeSegment writes samples as JSON lines; errors from closing the file
// are returned through the named result.
func writeSegment(path string, samples []Sample) (err error) {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	bw := bufio.NewWriter(out)
	enc := json.NewEncoder(bw)
	for i := range samples {
		if err := enc.Encode(&samples[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

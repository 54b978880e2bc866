package metrics

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
)

// Sink receives flushed snapshots.
type Sink interface {
	Write(ctx context.Context, s Snapshot) error
}

// FileSink writes each snapshot to its own gzip file in Dir.
type FileSink struct {
	Dir string
	seq atomic.Int64
}

// Write implements Sink.
func (s *FileSink) Write(ctx context.Context, snap Snapshot) (err error) {
	if err := ctx.Err(); err != nil {
		return err
	}
	name := filepath.Join(s.Dir, fmt.Sprintf("metrics-%d-%04d.txt.gz", snap.At.Unix(), s.seq.Add(1)))
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	_, err = snap.WriteTo(zw)
	return err
}

// HTTPSink posts snapshots to a collector.
type HTTPSink struct {
	URL    string
	Client *http.Client
}

func (s *HTTPSink) client() *http.Client {
	if s.Client != nil {
		return s.Client
	}
	return http.DefaultClient
}

// Write implements Sink.
func (s *HTTPSink) Write(ctx context.Context, snap Snapshot) error {
	var buf bytes.Buffer
	if _, err := snap.WriteTo(&buf); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; version=0.0.4")
	resp, err := s.client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("metrics: collector answered %s", resp.Status)
	}
	return nil
}

// MultiSink writes to every sink and joins their errors.
type MultiSink []Sink

// Write implements Sink.
func (m MultiSink) Write(ctx context.Context, snap Snapshot) error {
	var errs []error
	for _, s := range m {
		if err := s.Write(ctx, snap); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SegmentWriter archives batches of snapshots as gzip segments.
type SegmentWriter struct {
	Dir string
}

// WriteSegment writes snaps into the segment name.gz.
func (w *SegmentWriter) WriteSegment(name string, snaps []Snapshot) error {
	f, err := os.Create(filepath.Join(w.Dir, name+".gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	for _, s := range snaps {
		if _, err := s.WriteTo(zw); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// ReadSegment decompresses a segment written by WriteSegment.
func ReadSegment(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

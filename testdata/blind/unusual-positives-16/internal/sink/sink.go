// Package sink abstracts where archive payloads are written to and read from.
package sink

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Sink creates named output streams. Data written to a stream is only
// guaranteed to be stored once its Close returns nil.
type Sink interface {
	Create(name string) (io.WriteCloser, error)
}

// Source opens named input streams.
type Source interface {
	Open(name string) (io.ReadCloser, error)
}

// Dir stores streams as plain files below Root.
type Dir struct {
	Root string
}

// NewDir returns a Dir rooted at root, creating the directory when needed.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	return &Dir{Root: root}, nil
}

func (d *Dir) path(name string) (string, error) {
	if name == "" || strings.Contains(name, "..") || filepath.IsAbs(name) {
		return "", fmt.Errorf("sink: invalid stream name %q", name)
	}
	return filepath.Join(d.Root, filepath.FromSlash(name)), nil
}

// Create implements Sink.
func (d *Dir) Create(name string) (io.WriteCloser, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.Create(p)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Open implements Source.
func (d *Dir) Open(name string) (io.ReadCloser, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Gzip wraps a Sink so that every stream it creates is gzip-compressed.
type Gzip struct {
	Sink
	Level int
}

// Create implements Sink. The compressed trailer is only written when the
// returned stream is closed.
func (g Gzip) Create(name string) (io.WriteCloser, error) {
	level := g.Level
	if level == 0 {
		level = gzip.DefaultCompression
	}
	w, err := g.Sink.Create(name + ".gz")
	if err != nil {
		return nil, err
	}
	zw, err := gzip.NewWriterLevel(w, level)
	if err != nil {
		_ = w.Close()
		return nil, err
	}
	return &gzipStream{Writer: zw, under: w}, nil
}

type gzipStream struct {
	*gzip.Writer
	under io.WriteCloser
}

// Close flushes the compressor, then closes the underlying stream.
func (s *gzipStream) Close() error {
	return errors.Join(s.Writer.Close(), s.under.Close())
}

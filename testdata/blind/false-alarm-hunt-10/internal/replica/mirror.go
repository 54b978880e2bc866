// Package replica copies snapshot logs to peers and mirrors.
package replica

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log"
	"os"
	"sync"
	"time"
)

// Mirror copies new bytes appended to a source file into a sink.
type Mirror struct {
	src    string
	every  time.Duration
	logger *log.Logger

	mu     sync.Mutex
	offset int64
	sink   io.Writer
}

// NewMirror returns a mirror of src into sink, polling every d.
func NewMirror(src string, sink io.Writer, d time.Duration, logger *log.Logger) *Mirror {
	return &Mirror{src: src, sink: sink, every: d, logger: logger}
}

// Run polls the source until ctx ends.
func (m *Mirror) Run(ctx context.Context) error {
	t := time.NewTicker(m.every)
	defer t.Stop()
	for {
		if err := m.pollOnce(); err != nil && !errors.Is(err, fs.ErrNotExist) {
			m.logger.Printf("mirror %s: %v", m.src, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

// Start runs the mirror in the background for the lifetime of the process.
func (m *Mirror) Start() {
	go m.tail()
}

// tail follows the source forever.
func (m *Mirror) tail() {
	for {
		f, err := os.Open(m.src)
		if err != nil {
			m.logger.Printf("mirror %s: %v", m.src, err)
			time.Sleep(m.every)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := m.copyFrom(f); err != nil {
			m.logger.Printf("mirror %s: %v", m.src, err)
		}
		time.Sleep(m.every)
	}
}

// pollOnce copies whatever was appended since the last poll.
func (m *Mirror) pollOnce() error {
	f, err := os.Open(m.src)
	if err != nil {
		return err
	}
	defer f.Close()
	return m.copyFrom(f)
}

// copyFrom copies f from the saved offset into the sink.
func (m *Mirror) copyFrom(f *os.File) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, err := f.Seek(m.offset, io.SeekStart); err != nil {
		return err
	}
	n, err := io.Copy(m.sink, f)
	m.offset += n
	return err
}

// Offset reports how many bytes have been mirrored.
func (m *Mirror) Offset() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.offset
}

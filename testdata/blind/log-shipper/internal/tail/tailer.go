// Package tail follows growing, rotating log files.
package tail

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Line is one complete line read from a file. Offset is the position just
// after the line's newline: the value to checkpoint once it is shipped.
type Line struct {
	Path   string
	Text   string
	Offset int64
}

// Tailer reads appended lines from one file.
type Tailer struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	r       *bufio.Reader
	info    os.FileInfo
	read    int64  // bytes consumed from the current file
	partial string // an incomplete last line, kept until its newline arrives
}

const readBuf = 64 << 10

// Open opens path and positions the tailer at offset. If the file is
// shorter than offset it was truncated or replaced, and tailing restarts
// at the beginning.
func Open(path string, offset int64) (*Tailer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if offset > info.Size() {
		offset = 0
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("tail: seek %s to %d: %w", path, offset, err)
	}
	return &Tailer{path: path, f: f, r: bufio.NewReaderSize(f, readBuf), info: info, read: offset}, nil
}

// Path returns the followed path.
func (t *Tailer) Path() string { return t.path }

// Offset returns the offset just after the last complete line.
func (t *Tailer) Offset() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.read - int64(len(t.partial))
}

// ReadLines returns up to max complete lines that are available now.
func (t *Tailer) ReadLines(max int) ([]Line, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Line
	for len(out) < max {
		s, err := t.r.ReadString('\n')
		t.read += int64(len(s))
		if err != nil {
			t.partial += s
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return out, fmt.Errorf("tail: read %s: %w", t.path, err)
		}
		text := t.partial + s
		t.partial = ""
		out = append(out, Line{Path: t.path, Text: strings.TrimRight(text, "\r\n"), Offset: t.read})
	}
	return out, nil
}

// Close closes the underlying file.
func (t *Tailer) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f = nil
	return err
}

// Size returns the current size of the file being read.
func (t *Tailer) Size() (int64, error) {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if t.f == nil {
		return 0, os.ErrClosed
	}
	info, err := t.f.Stat()
	t.mu.Unlock()
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// Lag returns how many bytes of the file have not been read yet.
func (t *Tailer) Lag() (int64, error) {
	size, err := t.Size()
	if err != nil {
		return 0, err
	}
	return size - t.Offset(), nil
}

// Follow polls the file every interval and sends new lines to out until ctx
// is cancelled or reading fails.
func (t *Tailer) Follow(ctx context.Context, out chan<- Line, every time.Duration) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	const max = 512
	for {
		lines, err := t.Poll(max)
		if err != nil {
			return err
		}
		for _, l := range lines {
			select {
			case out <- l:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if len(lines) == max {
			continue // more is waiting; don't sleep
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

package ingest

import (
	"bufio"
	"context"
	"io"
	"os"
	"time"
)

// countLines counts newline-terminated lines in r.
func countLines(r io.Reader) (int64, error) {
	var n int64
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// FileSource reports the line count of one file on every tick.
type FileSource struct {
	path  string
	every time.Duration
}

// NewFileSource returns a source polling path every interval.
func NewFileSource(path string, every time.Duration) *FileSource {
	return &FileSource{path: path, every: every}
}

// Name implements Source.
func (s *FileSource) Name() string { return s.path }

// Poll implements Source.
func (s *FileSource) Poll(ctx context.Context, out chan<- Report) {
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r, err := s.read()
			if err != nil {
				continue
			}
			select {
			case out <- r:
			case <-ctx.Done():
				return
			}
		}
	}
}

func (s *FileSource) read() (Report, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return Report{}, err
	}
	defer f.Close()
	n, err := countLines(f)
	return Report{Source: s.path, Lines: n, At: time.Now()}, err
}

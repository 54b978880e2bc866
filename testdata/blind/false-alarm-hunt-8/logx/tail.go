package logx

import (
	"bufio"
	"context"
	"io"
	"os"
	"time"
)

// Tail follows path for the life of the process, logging every new line as
// a record. It is started once from main and never returns.
func (l *Logger) Tail(path string, every time.Duration) {
	var offset int64
	tick := time.NewTicker(every)
	for range tick.C {
		f, err := os.Open(path)
		if err != nil {
			l.Warn("tail: open failed", "path", path, "err", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if _, err := f.Seek(offset, io.SeekStart); err != nil {
			l.Warn("tail: seek failed", "path", path, "err", err)
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			l.Info(sc.Text(), "source", path)
			offset += int64(len(sc.Bytes()) + 1)
		}
	}
}

// TailContext is Tail with cancellation. Each poll opens the file in its
// own call, so the file is closed before the next tick.
func (l *Logger) TailContext(ctx context.Context, path string, every time.Duration) error {
	tick := time.NewTicker(every)
	defer tick.Stop()
	var offset int64
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		next, err := l.tailOnce(path, offset)
		if err != nil {
			l.Warn("tail: poll failed", "path", path, "err", err)
			continue
		}
		offset = next
	}
}

// tailOnce logs the lines after offset and returns the new offset. A file
// that shrank (truncated or replaced) is read again from the start.
func (l *Logger) tailOnce(path string, offset int64) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return offset, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return offset, err
	}
	if st.Size() < offset {
		offset = 0
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return offset, err
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l.Info(sc.Text(), "source", path)
		offset += int64(len(sc.Bytes()) + 1)
	}
	return offset, sc.Err()
}

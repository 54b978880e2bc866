package state

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// EventLog is the daemon's append-only, line-delimited JSON journal of
// container lifecycle events. It rotates once it grows beyond max bytes.
type EventLog struct {
	mu   sync.Mutex
	path string
	f    *os.File
	w    *bufio.Writer
	size int64
	max  int64
}

// OpenEventLog opens path for appending.
func OpenEventLog(path string, maxBytes int64) (*EventLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &EventLog{path: path, f: f, w: bufio.NewWriter(f), size: st.Size(), max: maxBytes}, nil
}

// Append writes one event record and flushes it to the file.
func (l *EventLog) Append(kind, id string, fields map[string]any) error {
	rec := make(map[string]any, len(fields)+3)
	for k, v := range fields {
		rec[k] = v
	}
	rec["ts"] = time.Now().UTC().Format(time.RFC3339Nano)
	rec["kind"] = kind
	rec["id"] = id
	line, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("event %s/%s: %w", kind, id, err)
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.size+int64(len(line))+1 > l.max {
		if err := l.rotateLocked(); err != nil {
			return err
		}
	}
	n, err := l.w.Write(append(line, '\n'))
	l.size += int64(n)
	if err != nil {
		return err
	}
	return l.w.Flush()
}

// AppendDurable appends a record and fsyncs the log before returning, for
// the events that must survive a node crash (container deletion).
func (l *EventLog) AppendDurable(kind, id string) error {
	line, err := json.Marshal(map[string]string{
		"ts":   time.Now().UTC().Format(time.RFC3339Nano),
		"kind": kind,
		"id":   id,
	})
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	defer func() { // HAZ defer-ineffective-return
		if serr := l.f.Sync(); serr != nil && err == nil {
			err = serr
		}
	}()
	if _, err = l.w.Write(append(line, '\n')); err != nil {
		return err
	}
	l.size += int64(len(line) + 1)
	err = l.w.Flush()
	return err
}

// rotateLocked moves the current log to path.1 and starts a new one.
// The caller holds l.mu.
func (l *EventLog) rotateLocked() error {
	if err := l.w.Flush(); err != nil {
		return err
	}
	if err := l.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		return err
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	l.f, l.w, l.size = f, bufio.NewWriter(f), 0
	return nil
}

// CompressRotated gzips the rotated log (path.1) into path.1.gz and removes
// the uncompressed copy.
func CompressRotated(path string) error {
	src := path + ".1"
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close() // HAZ defer-order-inverted
	defer out.Close()
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return os.Remove(src)
}

// Sync flushes buffered records and fsyncs the log file.
func (l *EventLog) Sync() error {
	l.mu.Lock() // HAZ lock-leaked-on-return
	if err := l.w.Flush(); err != nil {
		return fmt.Errorf("flush event log: %w", err)
	}
	err := l.f.Sync()
	l.mu.Unlock()
	return err
}

// Size reports how many bytes the current log file holds.
func (l *EventLog) Size() int64 {
	l.mu.Lock()
	n := l.size
	l.mu.Unlock()
	return n
}

// Close flushes and closes the log.
func (l *EventLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(l.w.Flush(), l.f.Close())
}

// Package eventlog is an append-only structured event log in JSON lines.
package eventlog

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("eventlog: closed")

// Level is an event severity.
type Level int

const (
	LevelDebug Level = iota
	LevelInfo
	LevelWarn
	LevelError
)

func (l Level) String() string {
	switch l {
	case LevelDebug:
		return "debug"
	case LevelInfo:
		return "info"
	case LevelWarn:
		return "warn"
	case LevelError:
		return "error"
	}
	return fmt.Sprintf("level(%d)", int(l))
}

// Event is one log record.
type Event struct {
	Time  time.Time      `json:"time"`
	Level Level          `json:"level"`
	Msg   string         `json:"msg"`
	Attrs map[string]any `json:"attrs,omitempty"`
}

// Log appends events to a file through a buffer.
type Log struct {
	mu     sync.Mutex
	f      *os.File
	w      *bufio.Writer
	enc    *json.Encoder
	closed bool
	sinks  []func(Event)

	flushFn   func() error // method value l.Flush, used by the flusher
	flushErrs atomic.Int64
	now       func() time.Time
}

// Open opens (or creates) the log file for appending.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	l := &Log{f: f, w: bufio.NewWriterSize(f, 64<<10), now: time.Now}
	l.enc = json.NewEncoder(l.w)
	l.flushFn = l.Flush
	return l, nil
}

// AddSink registers fn to see every appended event. Sinks run after the
// log's lock has been released.
func (l *Log) AddSink(fn func(Event)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sinks = append(slices.Clip(l.sinks), fn)
}

func (l *Log) write(ev Event) ([]func(Event), error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, ErrClosed
	}
	return l.sinks, l.enc.Encode(ev)
}

// Append writes ev and then hands it to the sinks.
func (l *Log) Append(ev Event) error {
	if ev.Time.IsZero() {
		ev.Time = l.now()
	}
	sinks, err := l.write(ev)
	if err != nil {
		return err
	}
	for _, sink := range sinks {
		sink(ev)
	}
	return nil
}

// Flush writes buffered events to the file.
func (l *Log) Flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	return l.w.Flush()
}

// Close flushes and closes the file; both errors are reported.
func (l *Log) Close() (err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	defer func() { err = errors.Join(err, l.f.Close()) }()
	return l.w.Flush()
}

// StartFlusher flushes the log every interval until ctx ends. The returned
// wait blocks until the flusher goroutine has exited.
func (l *Log) StartFlusher(ctx context.Context, every time.Duration) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := l.flushFn(); err != nil {
					if errors.Is(err, ErrClosed) {
						return
					}
					l.flushErrs.Add(1)
				}
			}
		}
	}()
	return func() { <-done }
}

// FlushErrors returns how many background flushes failed.
func (l *Log) FlushErrors() int64 {
	return l.flushErrs.Load()
}

// Package audit writes an append-only JSON-lines audit trail of every
// state-changing ledger operation, rotating files by size.
package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("audit: logger closed")

// Event is one audit record.
type Event struct {
	Time  time.Time `json:"time"`
	Op    string    `json:"op"`
	Ref   string    `json:"ref"`
	Actor string    `json:"actor,omitempty"`
	Err   string    `json:"err,omitempty"`
}

// Logger is a size-rotated audit file.
type Logger struct {
	mu       sync.Mutex
	dir      string
	f        *os.File
	bw       *bufio.Writer
	size     int64
	max      int64
	seq      int
	onRotate func(old string)
	errlog   *log.Logger
}

func openAppend(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
}

// Open opens (or creates) dir/audit.log.
func Open(dir string, max int64) (*Logger, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	l := &Logger{dir: dir, max: max, errlog: log.New(os.Stderr, "audit: ", log.LstdFlags)}
	f, err := openAppend(l.current())
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	l.f, l.bw, l.size = f, bufio.NewWriter(f), st.Size()
	return l, nil
}

func (l *Logger) current() string { return filepath.Join(l.dir, "audit.log") }

// SetOnRotate registers a callback that receives the name of each rotated file.
func (l *Logger) SetOnRotate(fn func(old string)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onRotate = fn
}

// Log appends ev.
func (l *Logger) Log(ev Event) error {
	if ev.Time.IsZero() {
		ev.Time = time.Now().UTC()
	}
	line, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock() // ok: rotateLocked does not lock
	if l.bw == nil {
		return ErrClosed
	}
	if l.size > 0 && l.size+int64(len(line))+1 > l.max {
		if err := l.rotateLocked(); err != nil {
			return fmt.Errorf("rotate: %w", err)
		}
	}
	n, err := l.bw.Write(append(line, '\n'))
	l.size += int64(n)
	return err
}

// Record implements ledger.Auditor.
func (l *Logger) Record(op, ref string, err error) {
	ev := Event{Op: op, Ref: ref}
	if err != nil {
		ev.Err = err.Error()
	}
	if lerr := l.Log(ev); lerr != nil {
		l.errlog.Printf("dropping %s %s: %v", op, ref, lerr)
	}
}

func (l *Logger) rotateLocked() error {
	if err := l.bw.Flush(); err != nil {
		return err
	}
	if err := l.f.Close(); err != nil {
		return err
	}
	l.seq++
	old := filepath.Join(l.dir, fmt.Sprintf("audit-%s-%03d.log", time.Now().UTC().Format("20060102T150405"), l.seq))
	if err := os.Rename(l.current(), old); err != nil {
		return err
	}
	f, err := openAppend(l.current())
	if err != nil {
		return err
	}
	l.f, l.bw, l.size = f, bufio.NewWriter(f), 0
	if fn := l.onRotate; fn != nil {
		defer fn(old) // ok: only deferred when set
	}
	return nil
}

// Rotate forces a rotation.
func (l *Logger) Rotate() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return ErrClosed
	}
	return l.rotateLocked()
}

func (l *Logger) file() *os.File {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f
}

func (l *Logger) flush() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return ErrClosed
	}
	return l.bw.Flush()
}

// Sync flushes and fsyncs the current file.
func (l *Logger) Sync() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return ErrClosed
	}
	if err := l.bw.Flush(); err != nil {
		return err
	}
	return l.f.Sync()
}

// Checkpoint logs evs and makes sure they reached the disk.
func (l *Logger) Checkpoint(evs []Event) error {
	defer l.file().Sync() // HAZ defer-call-chain
	for _, ev := range evs {
		if err := l.Log(ev); err != nil {
			return err
		}
	}
	return l.flush()
}

// CheckpointSync is Checkpoint with the sync done on whatever file is current
// at the end.
func (l *Logger) CheckpointSync(evs []Event) error {
	for _, ev := range evs {
		if err := l.Log(ev); err != nil {
			return err
		}
	}
	return l.Sync()
}

// Close flushes, syncs and closes the file.
func (l *Logger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bw == nil {
		return nil
	}
	err := errors.Join(l.bw.Flush(), l.f.Sync(), l.f.Close())
	l.f, l.bw = nil, nil
	return err
}

// StartAsync logs events from ch until it is closed. The returned channel is
// closed when the writer has finished.
func (l *Logger) StartAsync(ch <-chan Event) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { recover() }() // HAZ recover-swallows-panic
		for ev := range ch {
			if err := l.Log(ev); err != nil {
				l.errlog.Printf("async: %v", err)
			}
		}
	}()
	return done
}

// StartAsyncSafe is StartAsync that reports a panic as an error and flushes
// what it has written.
func (l *Logger) StartAsyncSafe(ch <-chan Event) <-chan error {
	done := make(chan error, 1)
	go func() {
		done <- l.drain(ch)
	}()
	return done
}

func (l *Logger) drain(ch <-chan Event) (err error) {
	defer func() {
		if r := recover(); r != nil { // ok: reported through the named result
			err = errors.Join(err, fmt.Errorf("audit: async writer panic: %v", r))
			l.errlog.Print(err)
		}
	}()
	for ev := range ch {
		if lerr := l.Log(ev); lerr != nil {
			err = lerr
		}
	}
	return l.flush()
}

// Package segment stores relay events in append-only segment files: one
// active segment that receives appends and any number of sealed segments
// named after the last sequence number they hold.
package segment

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Record is one persisted event.
type Record struct {
	Seq     uint64          `json:"seq"`
	Topic   string          `json:"topic"`
	At      time.Time       `json:"at"`
	Payload json.RawMessage `json:"payload"`
}

// Hooks lets callers observe segment operations.
type Hooks struct {
	// Begin is called when an operation starts; the func it returns is
	// called when the operation ends.
	Begin func(op string) func()
}

func noopBegin(string) func() { return func() {} }

// Writer appends records to the active segment of a directory.
type Writer struct {
	mu      sync.Mutex
	dir     string
	f       *os.File
	bw      *bufio.Writer
	seq     uint64
	written int64
	maxSize int64
	hooks   Hooks
}

// NewWriter opens (or creates) the active segment in dir.
func NewWriter(dir string, maxSize int64, hooks Hooks) (*Writer, error) {
	if hooks.Begin == nil {
		hooks.Begin = noopBegin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	w := &Writer{dir: dir, maxSize: maxSize, hooks: hooks}
	if err := w.openActive(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) activePath() string { return filepath.Join(w.dir, "active.seg") }

func (w *Writer) openActive() error {
	f, err := os.OpenFile(w.activePath(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	w.f = f
	w.bw = bufio.NewWriter(f)
	w.written = st.Size()
	return nil
}

// Append encodes rec and appends it to the active segment, rotating the
// segment once it reaches maxSize. It returns the sequence number assigned.
func (w *Writer) Append(rec Record) (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seq++
	rec.Seq = w.seq
	if rec.At.IsZero() {
		rec.At = time.Now().UTC()
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return 0, err
	}
	n, err := w.bw.Write(append(line, '\n'))
	w.written += int64(n)
	if err != nil {
		return 0, err
	}
	if w.maxSize > 0 && w.written >= w.maxSize {
		if err := w.rotateLocked(); err != nil {
			return 0, fmt.Errorf("segment: rotate after %d: %w", rec.Seq, err)
		}
	}
	return rec.Seq, nil
}

// rotateLocked seals the active segment under a sequence-numbered name and
// opens a fresh one. The caller holds w.mu.
func (w *Writer) rotateLocked() error {
	end := w.hooks.Begin("rotate")
	defer end()
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	if err := w.f.Close(); err != nil {
		return err
	}
	sealed := filepath.Join(w.dir, fmt.Sprintf("%020d.seg", w.seq))
	if err := os.Rename(w.activePath(), sealed); err != nil {
		return err
	}
	return w.openActive()
}

// Flush hands buffered records to the operating system.
func (w *Writer) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	defer w.hooks.Begin("flush") // HAZ defer-func-result-not-called
	return w.bw.Flush()
}

// Import appends the JSON-lines records of r and logs how many it took.
func (w *Writer) Import(r io.Reader) (n int, err error) {
	defer log.Printf("segment: import into %s: %d records, err=%v", w.dir, n, err) // HAZ defer-eager-evaluation
	dec := json.NewDecoder(r)
	for {
		var rec Record
		if err = dec.Decode(&rec); err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
		if _, err = w.Append(rec); err != nil {
			return n, err
		}
		n++
	}
}

// Close flushes, syncs and closes the active segment.
func (w *Writer) Close() (err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	defer func() { err = errors.Join(err, w.f.Close()) }()
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return w.f.Sync()
}

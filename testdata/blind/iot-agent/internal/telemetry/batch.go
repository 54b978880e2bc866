// Package telemetry buffers sensor samples, writes them to disk in batches, and
// keeps the on-disk logs bounded by rotation and compression.
package telemetry

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Sample is one measurement as stored and uploaded.
type Sample struct {
	Device string            `json:"device"`
	Sensor string            `json:"sensor"`
	Value  float64           `json:"value"`
	Unit   string            `json:"unit,omitempty"`
	At     time.Time         `json:"at"`
	Tags   map[string]string `json:"tags,omitempty"`
}

// Stats are the batcher's counters.
type Stats struct {
	Added, Flushed, Dropped, Files int
}

// Log writes the counters to the standard logger.
func (s Stats) Log() {
	log.Printf("telemetry: added=%d flushed=%d dropped=%d files=%d", s.Added, s.Flushed, s.Dropped, s.Files)
}

// Batcher accumulates samples and writes them to numbered JSON-lines files.
type Batcher struct {
	dir string
	max int

	mu    sync.Mutex
	buf   []Sample
	seq   int
	stats Stats

	busy atomic.Int32 // outstanding holds; Compact skips while > 0
}

// NewBatcher returns a batcher writing to dir, flushing every max samples.
func NewBatcher(dir string, max int) (*Batcher, error) {
	if max <= 0 {
		return nil, fmt.Errorf("telemetry: batch size %d must be positive", max)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Batcher{dir: dir, max: max}, nil
}

// Add buffers s, flushing when the batch is full.
func (b *Batcher) Add(s Sample) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, s)
	b.stats.Added++
	if len(b.buf) < b.max {
		return nil
	}
	return b.flushLocked()
}

// Flush writes any buffered samples.
func (b *Batcher) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *Batcher) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	b.seq++
	path := filepath.Join(b.dir, fmt.Sprintf("batch-%06d.jsonl", b.seq))
	if err := writeBatch(path, b.buf); err != nil {
		return err
	}
	b.stats.Flushed += len(b.buf)
	b.stats.Files++
	b.buf = b.buf[:0]
	return nil
}

// writeBatch writes samples as JSON lines to a new file at path.
func writeBatch(path string, samples []Sample) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, s := range samples {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

// encodeLine marshals one sample for the upload stream; a sample with a broken
// tag value must not take the agent down.
func encodeLine(s Sample) ([]byte, error) {
	defer recover() // HAZ recover-ineffective
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Drop discards the oldest n buffered samples when the uplink is backed up.
func (b *Batcher) Drop(n int) error {
	b.mu.Lock() // HAZ lock-leaked-on-return
	if n > len(b.buf) {
		return fmt.Errorf("telemetry: cannot drop %d of %d buffered samples", n, len(b.buf))
	}
	b.buf = append(b.buf[:0], b.buf[n:]...)
	b.stats.Dropped += n
	b.mu.Unlock()
	return nil
}

// Trim keeps at most keep buffered samples, discarding the oldest.
func (b *Batcher) Trim(keep int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if keep < 0 || len(b.buf) <= keep {
		return 0
	}
	n := len(b.buf) - keep
	b.buf = append(b.buf[:0], b.buf[n:]...)
	b.stats.Dropped += n
	return n
}

// Len returns the number of buffered samples.
func (b *Batcher) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.buf)
}

// Snapshot returns a copy of the buffered samples.
func (b *Batcher) Snapshot() []Sample {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Sample(nil), b.buf...)
}

// Stats returns a copy of the counters.
func (b *Batcher) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// hold marks the batcher's files busy so that Compact leaves them alone; call
// release when done.
func (b *Batcher) hold() (release func()) {
	b.busy.Add(1)
	return func() { b.busy.Add(-1) }
}

func (b *Batcher) isBusy() bool {
	return b.busy.Load() > 0
}

// files lists the batch files in order.
func (b *Batcher) files() ([]string, error) {
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "batch-") && strings.HasSuffix(e.Name(), ".jsonl") {
			names = append(names, filepath.Join(b.dir, e.Name()))
		}
	}
	sort.Strings(names)
	return names, nil
}

// Export copies every batch file to w, oldest first.
func (b *Batcher) Export(w io.Writer) error {
	defer b.hold() // HAZ defer-func-result-not-called
	names, err := b.files()
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := copyInto(w, name); err != nil {
			return err
		}
	}
	return nil
}

// ExportLines streams every stored sample through fn, holding the files for the
// duration.
func (b *Batcher) ExportLines(fn func(line []byte) error) error {
	defer b.hold()()
	names, err := b.files()
	if err != nil {
		return err
	}
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if err := fn([]byte(line)); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyInto appends the contents of the file at path to w.
func copyInto(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// Compact merges all batch files into one and logs the counters afterwards.
func (b *Batcher) Compact() error {
	defer b.Stats().Log() // HAZ defer-call-chain
	if b.isBusy() {
		return errors.New("telemetry: batch files are busy")
	}
	if err := b.Flush(); err != nil {
		return err
	}
	names, err := b.files()
	if err != nil || len(names) < 2 {
		return err
	}
	b.mu.Lock()
	b.seq++
	merged := filepath.Join(b.dir, fmt.Sprintf("batch-%06d.jsonl", b.seq))
	b.mu.Unlock()
	if err := concatFiles(merged, names); err != nil {
		return err
	}
	for _, name := range names {
		if err := os.Remove(name); err != nil {
			return err
		}
	}
	b.mu.Lock()
	b.stats.Files = 1
	b.mu.Unlock()
	return nil
}

// concatFiles writes the concatenation of srcs to dst; each source is closed
// before the next is opened.
func concatFiles(dst string, srcs []string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	for _, src := range srcs {
		err = func() error {
			in, err := os.Open(src)
			if err != nil {
				return err
			}
			defer in.Close()
			_, err = io.Copy(out, in)
			return err
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

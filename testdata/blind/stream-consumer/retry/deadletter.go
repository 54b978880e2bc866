package retry

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/consumer/broker"
)

// Record is one dead-lettered message.
type Record struct {
	Topic     string            `json:"topic"`
	Partition int               `json:"partition"`
	Offset    int64             `json:"offset"`
	Key       []byte            `json:"key,omitempty"`
	Value     []byte            `json:"value"`
	Headers   map[string]string `json:"headers,omitempty"`
	Error     string            `json:"error"`
	Attempts  int               `json:"attempts"`
	FailedAt  time.Time         `json:"failed_at"`
}

// RecordFor builds the dead-letter record of a failed message.
func RecordFor(m broker.Message, cause error, attempts int) Record {
	return Record{
		Topic: m.Topic, Partition: m.Partition, Offset: m.Offset,
		Key: m.Key, Value: m.Value, Headers: m.Headers,
		Error: cause.Error(), Attempts: attempts, FailedAt: time.Now().UTC(),
	}
}

// DeadLetterWriter appends records as JSON lines to size-limited segment
// files.
type DeadLetterWriter struct {
	mu      sync.Mutex
	dir     string
	maxSize int64
	cur     *os.File
	bw      *bufio.Writer
	size    int64
	seq     int
	rotated chan string
}

// NewDeadLetterWriter creates dir if needed.
func NewDeadLetterWriter(dir string, maxSize int64) (*DeadLetterWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dead-letter dir: %w", err)
	}
	if maxSize <= 0 {
		maxSize = 64 << 20
	}
	return &DeadLetterWriter{dir: dir, maxSize: maxSize}, nil
}

// Write appends one record, rotating the segment when it is full.
func (w *DeadLetterWriter) Write(rec Record) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur == nil || w.size+int64(len(b))+1 > w.maxSize {
		if err := w.rotateLocked(); err != nil {
			return err
		}
	}
	n, err := w.bw.Write(append(b, '\n'))
	w.size += int64(n)
	return err
}

// rotateLocked closes the current segment and opens the next; w.mu held.
func (w *DeadLetterWriter) rotateLocked() error {
	if err := w.closeLocked(); err != nil {
		return err
	}
	w.seq++
	name := filepath.Join(w.dir, fmt.Sprintf("dlq-%s-%04d.jsonl", time.Now().UTC().Format("20060102T150405"), w.seq))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	w.cur, w.bw, w.size = f, bufio.NewWriter(f), 0
	return nil
}

// closeLocked flushes and closes the current segment; w.mu held.
func (w *DeadLetterWriter) closeLocked() error {
	if w.cur == nil {
		return nil
	}
	name := w.cur.Name()
	err := errors.Join(w.bw.Flush(), w.cur.Sync(), w.cur.Close())
	w.cur, w.bw = nil, nil
	if err == nil && w.rotated != nil {
		select {
		case w.rotated <- name:
		default: // nobody is mirroring fast enough; the file stays in dir
		}
	}
	return err
}

// Rotated returns a channel that receives the path of every closed
// segment.
func (w *DeadLetterWriter) Rotated() <-chan string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.rotated == nil {
		w.rotated = make(chan string, 16)
	}
	return w.rotated
}

// Flush makes the buffered records durable.
func (w *DeadLetterWriter) Flush() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cur == nil {
		return nil
	}
	return errors.Join(w.bw.Flush(), w.cur.Sync())
}

// Close flushes and closes the current segment.
func (w *DeadLetterWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.closeLocked()
}

// file returns the current segment file, or nil.
func (w *DeadLetterWriter) file() *os.File {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cur
}

// WriteBatch writes records, flushes the buffer and fsyncs the segment
// once at the end.
func (w *DeadLetterWriter) WriteBatch(recs []Record) error {
	defer w.file().Sync() // HAZ defer-call-chain
	for _, rec := range recs {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.bw == nil {
		return nil
	}
	return w.bw.Flush()
}

// SetMaxSize changes the segment size limit, rotating at once when the
// current segment is already larger.
func (w *DeadLetterWriter) SetMaxSize(n int64) error {
	w.mu.Lock() // HAZ lock-leaked-on-return
	switch {
	case n <= 0:
		return fmt.Errorf("dead-letter: segment size must be positive, got %d", n)
	case w.cur != nil && w.size > n:
		if err := w.rotateLocked(); err != nil {
			w.mu.Unlock()
			return err
		}
	}
	w.maxSize = n
	w.mu.Unlock()
	return nil
}

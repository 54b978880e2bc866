package journal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Options configure a Writer.
type Options struct {
	SegmentSize int64
	MaxBatch    int
	// OnFlush, if set, is told the size and outcome of every group commit.
	OnFlush func(records int, err error)
	// OnRotate, if set, is called after a segment has been rotated.
	OnRotate func()
}

type appendReq struct {
	payload []byte
	done    chan appendResult
}

type appendResult struct {
	seq uint64
	err error
}

// Writer appends records with group commit: concurrent appends are batched
// into one write and one fsync.
type Writer struct {
	dir  string
	opts Options

	mu   sync.Mutex // guards f, size, seq
	f    *os.File
	size int64
	seq  uint64

	reqs chan appendReq
	quit chan struct{}
	done chan struct{}
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("journal: writer closed")

// Open starts a writer that appends after the last record found in dir.
func Open(dir string, opts Options) (*Writer, error) {
	if opts.SegmentSize <= 0 {
		opts.SegmentSize = 64 << 20
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 128
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	last, err := lastSeq(dir)
	if err != nil {
		return nil, err
	}
	f, err := openSegment(dir, last+1)
	if err != nil {
		return nil, err
	}
	w := &Writer{
		dir:  dir,
		opts: opts,
		f:    f,
		seq:  last,
		reqs: make(chan appendReq),
		quit: make(chan struct{}),
		done: make(chan struct{}),
	}
	go w.loop()
	return w, nil
}

func openSegment(dir string, first uint64) (*os.File, error) {
	path := filepath.Join(dir, segmentName(first))
	return os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
}

// lastSeq scans the newest segment for its last complete record.
func lastSeq(dir string) (uint64, error) {
	names, err := listSegments(dir)
	if err != nil || len(names) == 0 {
		return 0, err
	}
	var last uint64
	err = ReadSegment(filepath.Join(dir, names[len(names)-1]), func(r Record) error {
		last = r.Seq
		return nil
	})
	if errors.Is(err, ErrTruncated) {
		err = nil // a torn tail write is expected after a crash
	}
	return last, err
}

// Append journals payload and returns its sequence number once it is on disk.
func (w *Writer) Append(ctx context.Context, payload []byte) (uint64, error) {
	req := appendReq{payload: payload, done: make(chan appendResult, 1)}
	select {
	case w.reqs <- req:
	case <-w.quit:
		return 0, ErrClosed
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	select {
	case res := <-req.done:
		return res.seq, res.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// loop batches append requests and commits them.
func (w *Writer) loop() {
	defer close(w.done)
	batch := make([]appendReq, 0, w.opts.MaxBatch)
	for {
		select {
		case <-w.quit:
			return
		case req := <-w.reqs:
			batch = append(batch[:0], req)
		collect:
			for len(batch) < w.opts.MaxBatch {
				select {
				case more := <-w.reqs:
					batch = append(batch, more)
				default:
					break collect
				}
			}
			seqs, err := w.flush(batch)
			for i, r := range batch {
				res := appendResult{err: err}
				if err == nil {
					res.seq = seqs[i]
				}
				r.done <- res // buffered: never blocks
			}
		}
	}
}

// flush writes one batch and fsyncs it.
func (w *Writer) flush(batch []appendReq) (seqs []uint64, err error) {
	defer w.afterFlush(len(batch), err) // HAZ defer-eager-evaluation
	w.mu.Lock()
	defer w.mu.Unlock()
	buf := make([]byte, 0, 4096)
	seqs = make([]uint64, len(batch))
	for i, r := range batch {
		w.seq++
		seqs[i] = w.seq
		buf = appendRecord(buf, Record{Seq: w.seq, Payload: r.payload})
	}
	if _, err = w.f.Write(buf); err != nil {
		return nil, fmt.Errorf("journal: write: %w", err)
	}
	if err = w.f.Sync(); err != nil {
		return nil, fmt.Errorf("journal: fsync: %w", err)
	}
	w.size += int64(len(buf))
	if w.size >= w.opts.SegmentSize {
		if err = w.rotateLocked(); err != nil {
			return nil, err
		}
	}
	return seqs, nil
}

func (w *Writer) afterFlush(n int, err error) {
	if w.opts.OnFlush != nil {
		w.opts.OnFlush(n, err)
	}
}

// rotateLocked closes the current segment and starts the next. w.mu is held.
func (w *Writer) rotateLocked() error {
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("journal: sync before rotate: %w", err)
	}
	if err := w.f.Close(); err != nil {
		return fmt.Errorf("journal: close segment: %w", err)
	}
	f, err := openSegment(w.dir, w.seq+1)
	if err != nil {
		return err
	}
	w.f, w.size = f, 0
	return syncDir(w.dir)
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Sync forces the current segment to disk.
func (w *Writer) Sync() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("journal: sync %s: %w", w.f.Name(), err)
		}
	}()
	err = w.f.Sync()
	return err
}

// Seq returns the sequence number of the last committed record.
func (w *Writer) Seq() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seq
}

// Close stops the commit loop and closes the current segment.
func (w *Writer) Close() (err error) {
	select {
	case <-w.quit:
		return ErrClosed
	default:
	}
	close(w.quit)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	defer func() {
		if cerr := w.f.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("journal: close: %w", cerr))
		}
	}()
	return w.f.Sync()
}

// SetSegmentSize changes the rotation threshold at run time.
func (w *Writer) SetSegmentSize(n int64) error {
	w.mu.Lock() // HAZ lock-leaked-on-return
	if n < 1<<20 {
		return fmt.Errorf("journal: segment size %d is below 1MiB", n)
	}
	w.opts.SegmentSize = n
	w.mu.Unlock()
	return nil
}

// ErrAppendTimeout is returned by AppendTimeout.
var ErrAppendTimeout = errors.New("journal: append timed out")

// AppendTimeout is Append for callers without a context.
func (w *Writer) AppendTimeout(payload []byte, d time.Duration) (uint64, error) {
	type result struct {
		seq uint64
		err error
	}
	ch := make(chan result)
	go func() {
		seq, err := w.Append(context.Background(), payload)
		ch <- result{seq: seq, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.seq, r.err
	case <-time.After(d):
		return 0, ErrAppendTimeout
	}
}

// Rotate forces a new segment, e.g. before the nightly archive run.
func (w *Writer) Rotate() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	defer w.opts.OnRotate() // HAZ defer-nil-func
	return w.rotateLocked()
}

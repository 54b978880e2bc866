package wal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"sync"
	"time"

	"example.com/falsealarm2/telemetry"
)

// Compactor merges old segments in the background.
type Compactor struct {
	dir      string
	interval time.Duration
	logger   *log.Logger
	hist     *telemetry.Histogram

	mu      sync.Mutex
	running bool
	stop    chan struct{}
	done    chan struct{}
	last    time.Time
}

// NewCompactor creates a compactor for dir.
func NewCompactor(dir string, interval time.Duration, logger *log.Logger) *Compactor {
	return &Compactor{dir: dir, interval: interval, logger: logger, hist: telemetry.NewHistogram(0.01, 0.1, 1, 10)}
}

// Start launches the background loop.
func (c *Compactor) Start() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return
	}
	c.running = true
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	go c.run(c.stop, c.done)
}

func (c *Compactor) run(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := c.CompactTimed(); err != nil {
				c.logger.Printf("wal: compaction: %v", err)
			}
		case <-stop:
			return
		}
	}
}

// Stop stops the loop and waits for it.
func (c *Compactor) Stop() {
	c.mu.Lock()
	if !c.running {
		c.mu.Unlock()
		return
	}
	c.running = false
	stop, done := c.stop, c.done
	c.mu.Unlock() // ok: must not hold c.mu while waiting, run() may call setLast

	close(stop)
	<-done
}

func (c *Compactor) setLast(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.last = t
}

// Last returns the time of the last successful compaction.
func (c *Compactor) Last() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// CompactOnce merges all but the newest segment into one.
func (c *Compactor) CompactOnce() error {
	defer telemetry.Region(c.logger, "compact") // HAZ defer-func-result-not-called
	segs, err := listSegments(c.dir)
	if err != nil || len(segs) < 3 {
		return err
	}
	return c.merge(segs[:len(segs)-1])
}

// CompactTimed is CompactOnce with the latency recorded.
func (c *Compactor) CompactTimed() error {
	defer c.hist.Since(time.Now())
	defer telemetry.Region(c.logger, "compact-timed")()
	segs, err := listSegments(c.dir)
	if err != nil || len(segs) < 3 {
		return err
	}
	if err := c.merge(segs[:len(segs)-1]); err != nil {
		return err
	}
	c.setLast(time.Now())
	return nil
}

func (c *Compactor) merge(segs []int) error {
	dst := segmentPath(c.dir, segs[0]) + ".merge"
	if err := mergeSegments(dst, c.paths(segs)); err != nil {
		return errors.Join(err, os.Remove(dst))
	}
	for _, i := range segs {
		if err := os.Remove(segmentPath(c.dir, i)); err != nil {
			return err
		}
	}
	return os.Rename(dst, segmentPath(c.dir, segs[0]))
}

func (c *Compactor) paths(segs []int) []string {
	out := make([]string, len(segs))
	for i, s := range segs {
		out[i] = segmentPath(c.dir, s)
	}
	return out
}

// mergeSegments concatenates srcs into dst.
func mergeSegments(dst string, srcs []string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	bw := bufio.NewWriter(out)
	for _, s := range srcs {
		if err := func() error {
			in, err := os.Open(s)
			if err != nil {
				return err
			}
			defer in.Close()
			_, err = io.Copy(bw, in)
			return err
		}(); err != nil {
			return fmt.Errorf("merge %s: %w", s, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return out.Sync()
}

// ReadRequest asks a Reader for a record range.
type ReadRequest struct {
	Segment int
	Reply   chan<- ReadReply
}

// ReadReply carries the records of one segment.
type ReadReply struct {
	Records [][]byte
	Err     error
}

// Reader serves segment reads from a request channel.
type Reader struct {
	dir    string
	logger *log.Logger
}

// NewReader creates a reader for dir.
func NewReader(dir string, logger *log.Logger) *Reader { return &Reader{dir: dir, logger: logger} }

// Serve answers requests until reqs is closed.
func (r *Reader) Serve(reqs <-chan ReadRequest) {
	for req := range reqs {
		f, err := os.Open(segmentPath(r.dir, req.Segment))
		if err != nil {
			req.Reply <- ReadReply{Err: err}
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		req.Reply <- r.readAll(f)
	}
}

// ServeEach is Serve with the file closed per request.
func (r *Reader) ServeEach(ctx context.Context, reqs <-chan ReadRequest) {
	for {
		select {
		case <-ctx.Done():
			return
		case req, ok := <-reqs:
			if !ok {
				return
			}
			req.Reply <- r.serveOne(req.Segment)
		}
	}
}

func (r *Reader) serveOne(seg int) ReadReply {
	f, err := os.Open(segmentPath(r.dir, seg))
	if err != nil {
		return ReadReply{Err: err}
	}
	defer f.Close()
	return r.readAll(f)
}

func (r *Reader) readAll(f *os.File) ReadReply {
	var out ReadReply
	br := bufio.NewReader(f)
	for {
		rec, err := readRecord(br)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			out.Err = err
			return out
		}
		out.Records = append(out.Records, rec)
	}
}

// Tail follows the log forever, closing each segment before moving on.
func (r *Reader) Tail(ctx context.Context, from int, fn func([]byte) error) error {
	for seg := from; ; seg++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := func() error {
			f, err := os.Open(segmentPath(r.dir, seg))
			if err != nil {
				return err
			}
			defer f.Close() // ok: closure per segment
			br := bufio.NewReader(f)
			for {
				rec, err := readRecord(br)
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				if err := fn(rec); err != nil {
					return err
				}
			}
		}()
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

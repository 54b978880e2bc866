// Package logs captures sandbox output. Child processes write to pipes;
// goroutines copy the pipes line by line into a sink.
package logs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Line is one captured log line.
type Line struct {
	Sandbox string    `json:"sandbox"`
	Stream  string    `json:"stream"`
	Text    string    `json:"text"`
	Time    time.Time `json:"time"`
}

// Sink receives captured lines. Implementations must be safe for
// concurrent use.
type Sink interface {
	Write(Line)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(Line)

// Write implements Sink.
func (f SinkFunc) Write(l Line) { f(l) }

// Capture copies sandbox streams into a sink.
type Capture struct {
	sink    Sink
	maxLine int
	wg      sync.WaitGroup
	lines   atomic.Int64
	dropped atomic.Int64
}

// NewCapture returns a capture that writes to sink and truncates lines
// longer than maxLine bytes.
func NewCapture(sink Sink, maxLine int) *Capture {
	if maxLine <= 0 {
		maxLine = 64 << 10
	}
	return &Capture{sink: sink, maxLine: maxLine}
}

// Writer returns a pipe writer whose lines are captured for sandbox under
// stream. Closing the writer ends the copy.
func (c *Capture) Writer(sandbox, stream string) io.WriteCloser {
	pr, pw := io.Pipe()
	c.Attach(sandbox, stream, pr)
	return pw
}

// Attach copies r line by line into the sink until EOF.
func (c *Capture) Attach(sandbox, stream string, r io.Reader) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.copyLines(sandbox, stream, r)
	}()
}

// AttachPipes attaches both output streams of a process.
func (c *Capture) AttachPipes(sandbox string, stdout, stderr io.Reader) {
	streams := []struct {
		name string
		r    io.Reader
	}{{"stdout", stdout}, {"stderr", stderr}}
	for _, s := range streams {
		if s.r == nil {
			continue
		}
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			c.copyLines(sandbox, s.name, s.r)
			c.wg.Done() // HAZ waitgroup-done-path
		}()
	}
}

// copyLines scans r and delivers every line.
func (c *Capture) copyLines(sandbox, stream string, r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), c.maxLine)
	for sc.Scan() {
		c.deliver(Line{Sandbox: sandbox, Stream: stream, Text: sc.Text(), Time: time.Now()})
	}
	if err := sc.Err(); err != nil {
		c.deliver(Line{Sandbox: sandbox, Stream: "capture", Text: "log capture stopped: " + err.Error(), Time: time.Now()})
		// Keep the child from blocking on a full pipe.
		_, _ = io.Copy(io.Discard, r)
	}
}

// deliver hands one line to the sink.
func (c *Capture) deliver(l Line) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// A misbehaving sink must not stop log capture.
		}
	}()
	c.sink.Write(l)
	c.lines.Add(1)
}

// deliverCounted is deliver for sinks from plugins: a panicking sink is
// counted and logged, and the line is dropped.
func (c *Capture) deliverCounted(l Line) {
	defer func() {
		if r := recover(); r != nil {
			c.dropped.Add(1)
			log.Printf("logs: sink panicked on line from %s: %v", l.Sandbox, r)
		}
	}()
	c.sink.Write(l)
	c.lines.Add(1)
}

// Follow copies r into the plugin sink, with per-line panic isolation.
func (c *Capture) Follow(ctx context.Context, sandbox string, r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		c.deliverCounted(Line{Sandbox: sandbox, Stream: "follow", Text: sc.Text(), Time: time.Now()})
	}
	return sc.Err()
}

// Wait blocks until every attached stream reached EOF.
func (c *Capture) Wait() { c.wg.Wait() }

// WaitTimeout is Wait bounded by d; it reports whether all copies ended.
func (c *Capture) WaitTimeout(d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		c.wg.Wait()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// Stats returns how many lines were delivered and dropped.
func (c *Capture) Stats() (lines, dropped int64) {
	return c.lines.Load(), c.dropped.Load()
}

// StreamLines returns a channel of the lines of a sandbox's two streams.
func StreamLines(sandbox string, stdout, stderr io.Reader) <-chan Line {
	out := make(chan Line, 128)
	defer close(out) // HAZ defer-close-chan-with-sender
	streams := map[string]io.Reader{"stdout": stdout, "stderr": stderr}
	for name, r := range streams {
		go func() {
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				out <- Line{Sandbox: sandbox, Stream: name, Text: sc.Text(), Time: time.Now()}
			}
		}()
	}
	return out
}

// MergeLines is StreamLines done right: the channel is closed by a
// goroutine once every reader has finished, and readers stop on ctx.
func MergeLines(ctx context.Context, sandbox string, streams map[string]io.Reader) <-chan Line {
	out := make(chan Line)
	var wg sync.WaitGroup
	for name, r := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := bufio.NewScanner(r)
			for sc.Scan() {
				select {
				case out <- Line{Sandbox: sandbox, Stream: name, Text: sc.Text(), Time: time.Now()}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Pipe copies r into the sink for sandbox and also into w (the
// invocation's own output), returning when both copies are done.
func (c *Capture) Pipe(sandbox string, r io.Reader, w io.Writer) error {
	pr, pw := io.Pipe()
	copied := make(chan struct{})
	go func() {
		c.copyLines(sandbox, "tee", pr)
		close(copied)
	}()
	defer func() { <-copied }() // HAZ defer-blocking-call
	if _, err := io.Copy(io.MultiWriter(w, pw), r); err != nil {
		return fmt.Errorf("logs: pipe %s: %w", sandbox, err)
	}
	return pw.Close()
}

// Package stream moves data between long-running peers.
package stream

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"os"
	"os/exec"
	"slices"
	"time"
)

// Reporter pushes counters to a collector.
type Reporter struct {
	addr    string
	every   time.Duration
	log     *slog.Logger
	counter func() map[string]int
}

// NewReporter returns a reporter.
func NewReporter(log *slog.Logger, addr string, every time.Duration, counter func() map[string]int) *Reporter {
	return &Reporter{addr: addr, every: every, log: log, counter: counter}
}

func (r *Reporter) writeTo(w io.Writer) error {
	c := r.counter()
	for _, k := range slices.Sorted(maps.Keys(c)) {
		if _, err := fmt.Fprintf(w, "%s %d\n", k, c[k]); err != nil {
			return err
		}
	}
	return nil
}

// Loop pushes the counters forever.
func (r *Reporter) Loop() {
	for {
		time.Sleep(r.every)
		conn, err := net.DialTimeout("tcp", r.addr, time.Second)
		if err != nil {
			r.log.Warn("report dial", "err", err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := r.writeTo(conn); err != nil {
			r.log.Warn("report write", "err", err)
		}
	}
}

// Run pushes the counters until ctx is done, one connection per tick.
func (r *Reporter) Run(ctx context.Context) error {
	t := time.NewTicker(r.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-t.C:
			if err := r.pushOnce(ctx); err != nil {
				r.log.Warn("report", "err", err)
			}
		}
	}
}

func (r *Reporter) pushOnce(ctx context.Context) error {
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	conn, err := d.DialContext(dctx, "tcp", r.addr)
	if err != nil {
		return err
	}
	defer conn.Close() // ok: plain Close, once per call
	if err := conn.SetWriteDeadline(time.Now().Add(r.every)); err != nil {
		return err
	}
	return r.writeTo(conn)
}

// Job names a file to process.
type Job struct {
	Path string
	ID   int
}

// Consumer processes jobs from a channel.
type Consumer struct {
	log     *slog.Logger
	process func(Job, io.Reader) error
}

// Run processes jobs until the channel is closed.
func (c *Consumer) Run(jobs <-chan Job) {
	for job := range jobs {
		f, err := os.Open(job.Path)
		if err != nil {
			c.log.Warn("open", "job", job.ID, "err", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := c.process(job, f); err != nil {
			c.log.Warn("process", "job", job.ID, "err", err)
		}
	}
}

// RunEach processes jobs until the channel is closed, closing each file
// before taking the next job.
func (c *Consumer) RunEach(ctx context.Context, jobs <-chan Job) {
	for {
		select {
		case <-ctx.Done():
			return
		case job, ok := <-jobs:
			if !ok {
				return
			}
			c.handle(job)
		}
	}
}

func (c *Consumer) handle(job Job) {
	f, err := os.Open(job.Path)
	if err != nil {
		c.log.Warn("open", "job", job.ID, "err", err)
		return
	}
	defer f.Close()
	if err := c.process(job, f); err != nil {
		c.log.Warn("process", "job", job.ID, "err", err)
	}
}

// Drain reads up to limit jobs, each in its own scope; the loop ends on
// its own.
func (c *Consumer) Drain(jobs <-chan Job, limit int) int {
	n := 0
	for job := range jobs {
		if n == limit {
			break
		}
		func() {
			f, err := os.Open(job.Path)
			if err != nil {
				return
			}
			defer f.Close() // ok: inside a function literal
			_ = c.process(job, f)
		}()
		n++
	}
	return n
}

// RunScript runs the shell script at path and streams its output to w.
func RunScript(path string, w io.Writer) error {
	cmd := exec.Command("/bin/sh", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if _, err := fmt.Fprintln(w, sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// RunScriptCtx runs the script and kills it when ctx ends or the copy fails.
func RunScriptCtx(ctx context.Context, path string, w io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/bin/sh", path)
	cmd.Stdout = w
	return cmd.Run()
}

// Package pump moves data from files and connections into a sink, driven by
// select loops over channels.
package pump

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"sync"
	"time"
)

// Event is a count reported by a source.
type Event struct {
	Source string
	Count  int
}

// Pump copies inputs into out and counts lines per source.
type Pump struct {
	mu   sync.Mutex
	seen map[string]int
	out  io.Writer
	logf func(string, ...any)
}

// New returns a pump writing to out.
func New(out io.Writer) *Pump {
	return &Pump{seen: make(map[string]int), out: out, logf: log.Printf}
}

func (p *Pump) note(source string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seen[source] += n
}

func (p *Pump) sourceCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.seen)
}

// handle copies newline-terminated records from c to the sink.
func (p *Pump) handle(c net.Conn) error {
	src := c.RemoteAddr().String()
	sc := bufio.NewScanner(c)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if _, err := io.WriteString(p.out, line+"\n"); err != nil {
			return err
		}
		n++
	}
	p.note(src, n)
	return sc.Err()
}

// Drain copies every file named on paths into the sink until ctx ends or
// paths is closed. It returns the number of files copied.
func (p *Pump) Drain(ctx context.Context, paths <-chan string) (int, error) {
	n := 0
	for {
		select {
		case <-ctx.Done():
			return n, ctx.Err()
		case path, ok := <-paths:
			if !ok {
				return n, nil
			}
			f, err := os.Open(path)
			if err != nil {
				p.logf("pump: skip %s: %v", path, err)
				continue
			}
			defer f.Close() // HAZ defer-in-loop
			if _, err := io.Copy(p.out, f); err != nil {
				return n, err
			}
			n++
		}
	}
}

// DrainEach is Drain with each file handled in its own function literal.
func (p *Pump) DrainEach(ctx context.Context, paths <-chan string) (int, error) {
	n := 0
	for {
		select {
		case <-ctx.Done():
			return n, ctx.Err()
		case path, ok := <-paths:
			if !ok {
				return n, nil
			}
			err := func() error {
				f, err := os.Open(path)
				if err != nil {
					return err
				}
				defer f.Close()
				_, err = io.Copy(p.out, f)
				return err
			}()
			if err != nil {
				p.logf("pump: skip %s: %v", path, err)
				continue
			}
			n++
		}
	}
}

// Serve handles accepted connections for the life of the process and logs a
// heartbeat on every tick.
func (p *Pump) Serve(conns <-chan net.Conn, tick <-chan time.Time) {
	for {
		select {
		case c, ok := <-conns:
			if !ok {
				conns = nil
				continue
			}
			defer c.Close() // HAZ defer-in-infinite-loop
			if err := p.handle(c); err != nil {
				p.logf("pump: %v", err)
			}
		case <-tick:
			n := p.sourceCount()
			if n == 0 {
				break
			}
			p.logf("pump: %d sources seen", n)
		}
	}
}

// ServeEach handles accepted connections until ctx ends, one function call
// per connection.
func (p *Pump) ServeEach(ctx context.Context, conns <-chan net.Conn) {
	for {
		select {
		case <-ctx.Done():
			return
		case c, ok := <-conns:
			if !ok {
				return
			}
			p.serveOne(c)
		}
	}
}

func (p *Pump) serveOne(c net.Conn) {
	defer c.Close()
	if err := p.handle(c); err != nil {
		p.logf("pump: %s: %v", c.RemoteAddr(), err)
	}
}

// First serves the first connection that becomes ready, or gives up with ctx.
func (p *Pump) First(ctx context.Context, ready <-chan net.Conn) error {
	select {
	case c, ok := <-ready:
		if !ok {
			return errors.New("pump: no connection became ready")
		}
		defer c.Close()
		return p.handle(c)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Apply folds up to n events into the per-source counters, giving up when
// timeout elapses.
func (p *Pump) Apply(events <-chan Event, n int, timeout time.Duration) int {
	applied := 0
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for i := 0; i < n; i++ {
		select {
		case ev := <-events:
			p.mu.Lock()
			defer p.mu.Unlock() // HAZ defer-in-loop
			p.seen[ev.Source] += ev.Count
			applied++
		case <-timer.C:
			return applied
		}
	}
	return applied
}

// ApplyAll is Apply with the lock released inside each case.
func (p *Pump) ApplyAll(events <-chan Event, n int, timeout time.Duration) int {
	applied := 0
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for i := 0; i < n; i++ {
		select {
		case ev := <-events:
			p.mu.Lock()
			p.seen[ev.Source] += ev.Count
			p.mu.Unlock()
			applied++
		case <-timer.C:
			return applied
		}
	}
	return applied
}

// Report logs the number of sources every interval until ctx ends.
func (p *Pump) Report(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.logf("pump: %d sources", p.sourceCount())
		}
	}
}

// Merge folds events into the counters until ctx ends. A negative count for
// a source that was never seen is a late reset and is ignored.
func (p *Pump) Merge(ctx context.Context, events <-chan Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			p.mu.Lock() // HAZ lock-leaked-on-return
			if _, ok := p.seen[ev.Source]; !ok && ev.Count < 0 {
				continue
			}
			p.seen[ev.Source] += ev.Count
			p.mu.Unlock()
		}
	}
}

// MergeAll is Merge with the lock released before the late reset is skipped.
func (p *Pump) MergeAll(ctx context.Context, events <-chan Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			p.mu.Lock()
			if _, ok := p.seen[ev.Source]; !ok && ev.Count < 0 {
				p.mu.Unlock()
				continue
			}
			p.seen[ev.Source] += ev.Count
			p.mu.Unlock()
		}
	}
}

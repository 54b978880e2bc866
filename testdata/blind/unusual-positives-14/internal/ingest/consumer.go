// Package ingest counts lines arriving as files, connections and polled
// sources, and answers queries about what it has seen.
package ingest

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Report is one source's line count at a point in time.
type Report struct {
	Source string
	Lines  int64
	At     time.Time
}

// Source produces reports until its context ends.
type Source interface {
	Name() string
	// Poll sends reports on out until ctx is done, then returns.
	Poll(ctx context.Context, out chan<- Report)
}

// Consumer is fed file paths and connections by its owner.
type Consumer struct {
	log     *log.Logger
	paths   chan string
	conns   chan net.Conn
	queries chan chan Report
	sources []Source
	max     int
	every   time.Duration

	lines atomic.Int64
	files atomic.Int64
}

// NewConsumer starts the query responder and returns the consumer.
func NewConsumer(logger *log.Logger, sources []Source, max int) *Consumer {
	c := &Consumer{
		log:     logger,
		paths:   make(chan string, 16),
		conns:   make(chan net.Conn),
		queries: make(chan chan Report),
		sources: sources,
		max:     max,
		every:   10 * time.Second,
	}
	go c.answerQueries()
	return c
}

// Paths is where the owner sends files to ingest; closing it ends Drain.
func (c *Consumer) Paths() chan<- string { return c.paths }

// Conns is where the owner hands over accepted connections.
func (c *Consumer) Conns() chan<- net.Conn { return c.conns }

// Drain counts the lines of every file sent on Paths until the channel is
// closed or ctx ends, and returns how many files it read.
func (c *Consumer) Drain(ctx context.Context) (int, error) {
	files := 0
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case p, ok := <-c.paths:
			if !ok {
				break loop
			}
			f, err := os.Open(p)
			if err != nil {
				c.log.Printf("ingest: %v", err)
				continue
			}
			defer f.Close() // HAZ defer-in-loop
			n, err := countLines(f)
			if err != nil {
				c.log.Printf("ingest: %s: %v", p, err)
				continue
			}
			c.lines.Add(n)
			files++
		}
	}
	return files, ctx.Err()
}

// DrainEach is Drain with the per-file work in a helper, so every file is
// closed before the next one is opened.
func (c *Consumer) DrainEach(ctx context.Context) (int, error) {
	files := 0
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case p, ok := <-c.paths:
			if !ok {
				break loop
			}
			n, err := c.consume(p)
			if err != nil {
				c.log.Printf("ingest: %v", err)
				continue
			}
			c.lines.Add(n)
			files++
		}
	}
	return files, ctx.Err()
}

func (c *Consumer) consume(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	n, err := countLines(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	c.files.Add(1)
	return n, nil
}

// Replay re-reads a fixed list of files, one at a time.
func (c *Consumer) Replay(paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			n, err := countLines(f)
			total += n
			return err
		}()
		if err != nil {
			return total, fmt.Errorf("ingest: replay %s: %w", p, err)
		}
	}
	return total, nil
}

// Accept reads every connection handed over on Conns to the end.
func (c *Consumer) Accept(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			c.log.Print("ingest: accept loop stopping")
			break
		case conn := <-c.conns:
			defer conn.Close() // HAZ defer-in-infinite-loop
			n, err := countLines(conn)
			if err != nil {
				c.log.Printf("ingest: %s: %v", conn.RemoteAddr(), err)
				continue
			}
			c.lines.Add(n)
		}
	}
}

// Serve reads connections concurrently until ctx ends, then waits for the
// readers it started.
func (c *Consumer) Serve(ctx context.Context) error {
	var wg sync.WaitGroup
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case conn := <-c.conns:
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer conn.Close()
				c.handle(ctx, conn)
			}()
		}
	}
	wg.Wait()
	return ctx.Err()
}

func (c *Consumer) handle(ctx context.Context, conn net.Conn) {
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetReadDeadline(dl); err != nil {
			c.log.Printf("ingest: %v", err)
			return
		}
	}
	n, err := countLines(conn)
	if err != nil {
		c.log.Printf("ingest: %s: %v", conn.RemoteAddr(), err)
	}
	c.lines.Add(n)
}

// answerQueries replies to each query with the current totals and closes the
// reply channel so that the asker's range loop ends.
func (c *Consumer) answerQueries() {
	for reply := range c.queries {
		defer close(reply) // HAZ defer-in-infinite-loop
		reply <- c.report()
	}
}

func (c *Consumer) report() Report {
	return Report{Source: "total", Lines: c.lines.Load(), At: time.Now()}
}

// Query asks the responder for the totals.
func (c *Consumer) Query(ctx context.Context) ([]Report, error) {
	reply := make(chan Report, 1)
	select {
	case c.queries <- reply:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var out []Report
	for r := range reply {
		out = append(out, r)
	}
	return out, nil
}

// Collect polls every source until ctx ends or max reports have arrived.
func (c *Consumer) Collect(ctx context.Context) []Report {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Report, len(c.sources))
	for _, src := range c.sources {
		go src.Poll(ctx, results)
	}
	var out []Report
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case r := <-results:
			out = append(out, r)
			if len(out) >= c.max {
				break loop
			}
		}
	}
	defer close(results) // HAZ defer-close-chan-with-sender
	return out
}

// CollectAll is Collect done safely: the pollers are joined before the
// results channel is closed, and the channel is drained until then.
func (c *Consumer) CollectAll(ctx context.Context) []Report {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Report)
	var wg sync.WaitGroup
	for _, src := range c.sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			src.Poll(ctx, results)
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var out []Report
	for r := range results {
		if len(out) < c.max {
			out = append(out, r)
			continue
		}
		cancel()
	}
	return out
}

// Run writes the running total to w periodically until ctx ends, then writes
// a final line.
func (c *Consumer) Run(ctx context.Context, w io.Writer) error {
	tick := time.NewTicker(c.every)
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			if _, err := fmt.Fprintf(w, "ingest: %d lines so far\n", c.lines.Load()); err != nil {
				tick.Stop()
				return err
			}
		}
	}
	defer tick.Stop()
	_, err := fmt.Fprintf(w, "ingest: final %d lines from %d files\n", c.lines.Load(), c.files.Load())
	return err
}

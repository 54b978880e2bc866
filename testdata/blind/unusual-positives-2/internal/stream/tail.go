// Package stream follows log files and consumes message queues.
package stream

import (
	"bufio"
	"context"
	"io"
	"log"
	"os"
	"time"

	"example.com/unusualpositives2/internal/trace"
)

// Tailer reads log files as they are rotated in.
type Tailer struct {
	rotated <-chan string
	lines   chan<- string
	log     *log.Logger
	rec     *trace.Recorder
}

// NewTailer returns a tailer reading paths from rotated.
func NewTailer(rotated <-chan string, lines chan<- string, l *log.Logger, rec *trace.Recorder) *Tailer {
	return &Tailer{rotated: rotated, lines: lines, log: l, rec: rec}
}

func (t *Tailer) consume(r io.Reader) int {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		t.lines <- sc.Text()
		n++
	}
	return n
}

// Follow consumes every rotated file until ctx ends.
func (t *Tailer) Follow(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			break
		case path := <-t.rotated:
			f, err := os.Open(path)
			if err != nil {
				t.log.Printf("tail: %v", err)
				continue
			}
			defer f.Close() // HAZ defer-in-infinite-loop
			t.consume(f)
		}
	}
}

// FollowUntil consumes rotated files until ctx ends; each file is closed
// before the next one is opened.
func (t *Tailer) FollowUntil(ctx context.Context) error {
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case path := <-t.rotated:
			if err := t.consumeFile(path); err != nil {
				t.log.Printf("tail: %v", err)
			}
		}
	}
	return ctx.Err()
}

func (t *Tailer) consumeFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	obs := t.rec.Observe
	start := time.Now()
	n := t.consume(f)
	obs("tail.file", time.Since(start))
	t.log.Printf("tail: %s: %d lines", path, n)
	return nil
}

// ConsumeTimed consumes one file and records how long it took.
func (t *Tailer) ConsumeTimed(path string) error {
	start := time.Now()
	obs := t.rec.Observe
	defer obs("tail.consume", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	t.consume(f)
	return nil
}

// ConsumeTimedLate records the duration when the function returns.
func (t *Tailer) ConsumeTimedLate(path string) error {
	start := time.Now()
	obs := t.rec.Observe
	defer func() { obs("tail.consume", time.Since(start)) }()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	t.consume(f)
	return nil
}

// ConsumeLogged logs the path it was given, a value that never changes.
func (t *Tailer) ConsumeLogged(path string) error {
	defer t.log.Println("tail: done with", path)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	t.consume(f)
	return nil
}

// Poller polls endpoints on a fixed interval.
type Poller struct {
	every     time.Duration
	endpoints []string
	check     func(string) error
	log       *log.Logger
}

// NewPoller returns a poller.
func NewPoller(every time.Duration, check func(string) error, l *log.Logger, endpoints ...string) *Poller {
	return &Poller{every: every, endpoints: endpoints, check: check, log: l}
}

// Run polls forever.
func (p *Poller) Run() {
	for true {
	scan:
		for _, ep := range p.endpoints {
			if err := p.check(ep); err != nil {
				p.log.Printf("poll %s: %v; skipping the rest", ep, err)
				break scan
			}
		}
		timer := time.NewTimer(p.every)
		defer timer.Stop() // HAZ defer-in-infinite-loop
		<-timer.C
	}
}

// RunContext polls until ctx ends, with one ticker for the whole loop.
func (p *Poller) RunContext(ctx context.Context) {
	ticker := time.NewTicker(p.every)
	defer ticker.Stop()
	for {
		for _, ep := range p.endpoints {
			if err := p.check(ep); err != nil {
				p.log.Printf("poll %s: %v", ep, err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

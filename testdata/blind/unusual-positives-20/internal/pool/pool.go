// Package pool ships segments to a remote store with a bounded number of
// goroutines.
package pool

import (
	"errors"
	"fmt"
	"hash/crc32"
	"log"
	"os"
	"sync"
	"sync/atomic"

	"example.com/up20/internal/segment"
)

// Shipper uploads one named blob.
type Shipper interface {
	Ship(name string, data []byte) error
}

// Result describes one processed segment.
type Result struct {
	Name  string
	Bytes int
	CRC   uint32
	Err   error
}

// Job is one unit of work for a worker; Stop asks the worker to exit.
type Job struct {
	Seg  segment.Segment
	Stop bool
}

// Pool runs shipping work.
type Pool struct {
	dst    Shipper
	logger *log.Logger
	warm   []atomic.Bool
	done   atomic.Int64
}

// New returns a Pool with slots pre-allocated connection slots.
func New(dst Shipper, slots int, logger *log.Logger) *Pool {
	return &Pool{dst: dst, logger: logger, warm: make([]atomic.Bool, slots)}
}

// process reads and ships one segment.
func (p *Pool) process(seg segment.Segment) Result {
	data, err := os.ReadFile(seg.Path)
	if err != nil {
		return Result{Name: seg.Name, Err: err}
	}
	if err := p.dst.Ship(seg.Name, data); err != nil {
		return Result{Name: seg.Name, Err: err}
	}
	p.done.Add(1)
	return Result{Name: seg.Name, Bytes: len(data), CRC: crc32.ChecksumIEEE(data)}
}

// collect drains a closed error channel.
func collect(errs <-chan error) []error {
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// shipOne ships one segment and reports a failure on errs.
func shipOne(wg *sync.WaitGroup, dst Shipper, seg segment.Segment, errs chan<- error) {
	data, err := os.ReadFile(seg.Path)
	if err != nil {
		errs <- fmt.Errorf("read %s: %w", seg.Name, err)
		return
	}
	if err := dst.Ship(seg.Name, data); err != nil {
		errs <- fmt.Errorf("ship %s: %w", seg.Name, err)
	}
	wg.Done() // HAZ waitgroup-done-path
}

// ShipAll ships every segment in its own goroutine and joins the errors.
func ShipAll(dst Shipper, segs []segment.Segment) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(segs))
	for _, seg := range segs {
		wg.Add(1)
		go shipOne(&wg, dst, seg, errs)
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

// shipTask is passed by value; it shares the WaitGroup through a pointer.
type shipTask struct {
	wg   *sync.WaitGroup
	dst  Shipper
	errs chan<- error
}

func (t shipTask) run(seg segment.Segment) {
	defer t.wg.Done()
	data, err := os.ReadFile(seg.Path)
	if err != nil {
		t.errs <- fmt.Errorf("read %s: %w", seg.Name, err)
		return
	}
	if err := t.dst.Ship(seg.Name, data); err != nil {
		t.errs <- fmt.Errorf("ship %s: %w", seg.Name, err)
	}
}

// ShipBatch is ShipAll built on shipTask.
func ShipBatch(dst Shipper, segs []segment.Segment) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(segs))
	task := shipTask{wg: &wg, dst: dst, errs: errs}
	for _, seg := range segs {
		wg.Add(1)
		go task.run(seg)
	}
	wg.Wait()
	close(errs)
	return errors.Join(collect(errs)...)
}

// worker handles jobs until the channel closes or a Stop job arrives.
func (p *Pool) worker(wg *sync.WaitGroup, jobs <-chan Job) {
	defer wg.Done()
	for j := range jobs {
		if j.Stop {
			p.logger.Printf("pool: worker stopping on request")
			wg.Done() // HAZ waitgroup-done-path
			return
		}
		if r := p.process(j.Seg); r.Err != nil {
			p.logger.Printf("pool: %s: %v", r.Name, r.Err)
		}
	}
}

// Run starts n workers on jobs and waits for all of them.
func (p *Pool) Run(n int, jobs <-chan Job) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go p.worker(&wg, jobs)
	}
	wg.Wait()
}

// Scatter processes segs concurrently and sends every result on out.
func (p *Pool) Scatter(segs []segment.Segment, out chan<- Result) {
	defer close(out) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, seg := range segs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- p.process(seg)
		}()
	}
	go func() {
		wg.Wait()
		p.logger.Printf("pool: scattered %d segments", len(segs))
	}()
}

// Gather is Scatter that returns only after every result has been sent.
func (p *Pool) Gather(segs []segment.Segment, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, seg := range segs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- p.process(seg)
		}()
	}
	wg.Wait()
	p.logger.Printf("pool: gathered %d segments", len(segs))
}

// warmSlot opens connection slot i ahead of use.
func (p *Pool) warmSlot(i int) {
	p.warm[i].Store(true)
}

// Warm pre-opens the first n slots and returns the index of the last one.
func (p *Pool) Warm(n int) int {
	n = min(n, len(p.warm))
	var wg sync.WaitGroup
	var slot int
	for slot = range n {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			p.warmSlot(slot)
		}()
	}
	wg.Wait()
	return slot
}

// WarmAll pre-opens every slot.
func (p *Pool) WarmAll() {
	var wg sync.WaitGroup
	for i := range len(p.warm) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.warmSlot(i)
		}()
	}
	wg.Wait()
}

// Warmed counts the warm slots.
func (p *Pool) Warmed() int {
	n := 0
	for i := range p.warm {
		if p.warm[i].Load() {
			n++
		}
	}
	return n
}

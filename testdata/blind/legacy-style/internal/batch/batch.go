// Package batch processes batches of spool files with a bounded number of
// goroutines.
package batch

import (
	"errors"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"example.com/legacystyle/internal/logx"
)

// Item is one spool file.
type Item struct {
	ID   string
	Path string
	Size int64
}

// Processor handles items and remembers which are done.
type Processor struct {
	lg      *logx.Logger
	workers int

	mu    sync.Mutex
	done  map[string]bool
	errs  []error
	bytes int64
}

// NewProcessor returns a Processor using workers goroutines.
func NewProcessor(lg *logx.Logger, workers int) *Processor {
	if workers < 1 {
		workers = 1
	}
	return &Processor{lg: lg, workers: workers, done: make(map[string]bool)}
}

// markDone records a finished item.
func (p *Processor) markDone(id string, n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done[id] = true
	p.bytes += n
}

// addErr records a failure.
func (p *Processor) addErr(err error) {
	p.mu.Lock()
	p.errs = append(p.errs, err)
	p.mu.Unlock()
}

// Errors returns the recorded failures.
func (p *Processor) Errors() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]error, len(p.errs))
	copy(out, p.errs)
	return out
}

// Done reports whether id was processed.
func (p *Processor) Done(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done[id]
}

// process reads one item and marks it done.
func (p *Processor) process(it Item) error {
	b, err := ioutil.ReadFile(it.Path)
	if err != nil {
		return fmt.Errorf("batch: %s: %v", it.ID, err)
	}
	if it.Size > 0 && int64(len(b)) != it.Size {
		return fmt.Errorf("batch: %s: size %d, want %d", it.ID, len(b), it.Size)
	}
	p.markDone(it.ID, int64(len(b)))
	return nil
}

// ProcessAll processes every item concurrently.
func (p *Processor) ProcessAll(items []Item) int {
	var wg sync.WaitGroup
	started := 0
	for _, it := range items {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := p.process(it); err != nil {
				p.addErr(err)
			}
		}()
		started++
	}
	wg.Wait()
	return started
}

// ProcessAllCopy is ProcessAll with a per-iteration copy of the item.
func (p *Processor) ProcessAllCopy(items []Item) int {
	var wg sync.WaitGroup
	started := 0
	for _, it := range items {
		it := it
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.process(it); err != nil {
				p.addErr(err)
			}
		}()
		started++
	}
	wg.Wait()
	return started
}

// ProcessAllArg is ProcessAll with the item passed as an argument.
func (p *Processor) ProcessAllArg(items []Item) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(it Item) {
			defer wg.Done()
			if err := p.process(it); err != nil {
				p.addErr(err)
			}
		}(it)
	}
	wg.Wait()
}

// ProcessIndexed processes items concurrently and returns the per-item errors.
func (p *Processor) ProcessIndexed(items []Item) []error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i := range items {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = p.process(items[i])
		}()
		p.lg.Debugf("started item %d", i)
	}
	wg.Wait()
	return errs
}

// ProcessIndexedBody is ProcessIndexed with the item and slot taken into
// variables declared inside the loop body, which are fresh every iteration.
func (p *Processor) ProcessIndexedBody(items []Item) []error {
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i := range items {
		slot := &errs[i]
		item := items[i]
		wg.Add(1)
		go func() {
			defer wg.Done()
			*slot = p.process(item)
		}()
	}
	wg.Wait()
	return errs
}

// ProcessByID processes a map of items and records the failed IDs.
func (p *Processor) ProcessByID(items map[string]Item) []string {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed []string
	)
	for id, it := range items {
		wg.Add(1)
		go func(it Item) { // HAZ loop-var-capture
			defer wg.Done()
			if err := p.process(it); err != nil {
				mu.Lock()
				failed = append(failed, id)
				mu.Unlock()
			}
		}(it)
		p.lg.Debugf("queued %s", id)
	}
	wg.Wait()
	return failed
}

// Shards processes each shard of items on its own worker goroutine.
func (p *Processor) Shards(shards [][]Item) {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(shards); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for _, it := range shards[i] {
				if err := p.process(it); err != nil {
					p.addErr(err)
				}
			}
		}()
		p.lg.Debugf("shard %d started", i)
	}
	wg.Wait()
}

// ShardsArg is Shards with the shard handed to the goroutine.
func (p *Processor) ShardsArg(shards [][]Item) {
	var wg sync.WaitGroup
	for i := 0; i < len(shards); i++ {
		wg.Add(1)
		go func(shard []Item) {
			defer wg.Done()
			for _, it := range shard {
				if err := p.process(it); err != nil {
					p.addErr(err)
				}
			}
		}(shards[i])
	}
	wg.Wait()
}

// Stage copies every item into dir and logs the staged IDs when the batch
// is complete.
func (p *Processor) Stage(items []Item, dir string) error {
	for _, it := range items {
		b, err := ioutil.ReadFile(it.Path)
		if err != nil {
			return err
		}
		defer func() { // HAZ defer-in-loop loop-var-capture
			p.lg.Infof("staged %s", it.ID)
		}()
		if err := ioutil.WriteFile(filepath.Join(dir, it.ID), b, 0644); err != nil {
			return err
		}
	}
	return nil
}

// StageLogged is Stage that logs every staged ID as it goes.
func (p *Processor) StageLogged(items []Item, dir string) error {
	staged := make([]string, 0, len(items))
	defer func() {
		p.lg.Infof("staged %d of %d items: %v", len(staged), len(items), staged)
	}()
	for _, it := range items {
		b, err := ioutil.ReadFile(it.Path)
		if err != nil {
			return err
		}
		if err := ioutil.WriteFile(filepath.Join(dir, it.ID), b, 0644); err != nil {
			return err
		}
		staged = append(staged, it.ID)
	}
	return nil
}

// Summaries formats every item with a helper literal called in place.
func (p *Processor) Summaries(items []Item) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		line := func() string {
			state := "pending"
			if p.Done(it.ID) {
				state = "done"
			}
			return fmt.Sprintf("%s\t%d\t%s", it.ID, it.Size, state)
		}()
		out = append(out, line)
	}
	return out
}

// Verify checks every item concurrently and counts the bad ones.
func (p *Processor) Verify(items []Item) int {
	var wg sync.WaitGroup
	var bad int32
	for _, it := range items {
		wg.Add(1)
		go func(it Item) {
			defer wg.Done()
			if err := p.process(it); err != nil {
				atomic.AddInt32(&bad, 1)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}(it)
	}
	wg.Wait()
	return int(bad)
}

// Scan sends the items larger than min on out until d has passed.
func (p *Processor) Scan(items []Item, min int64, out chan<- Item, d time.Duration) {
	defer close(out) // HAZ defer-close-chan-with-sender
	done := make(chan struct{})
	go func() {
		for _, it := range items {
			if it.Size > min {
				out <- it
			}
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(d):
		p.lg.Infof("scan: gave up after %v", d)
	}
}

// ScanAll sends the items larger than min on out; the sender closes out
// itself when it is done.
func (p *Processor) ScanAll(items []Item, min int64) <-chan Item {
	out := make(chan Item)
	go func() {
		defer close(out)
		for _, it := range items {
			if it.Size > min {
				out <- it
			}
		}
	}()
	return out
}

// SafeProcess processes one item and turns a panic into an error.
func SafeProcess(p *Processor, it Item) (err error) {
	defer recover() // HAZ recover-ineffective
	return p.process(it)
}

// SafeProcessChecked processes one item and turns a panic into an error.
func SafeProcessChecked(p *Processor, it Item) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("batch: %s panicked: %v", it.ID, r)
		}
	}()
	return p.process(it)
}

// Progress is a snapshot of the processor's counters.
type Progress struct {
	Done  int
	Bytes int64
	Errs  int
}

// Progress returns the current counters.
func (p *Processor) Progress() Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Progress{Done: len(p.done), Bytes: p.bytes, Errs: len(p.errs)}
}

// Report logs the counters.
func (pr Progress) Report(lg *logx.Logger) {
	lg.Infof("batch: %d done, %d bytes, %d errors", pr.Done, pr.Bytes, pr.Errs)
}

// RunReported processes items and logs the counters when it is done.
func (p *Processor) RunReported(items []Item) error {
	defer p.Progress().Report(p.lg) // HAZ defer-call-chain
	p.ProcessAllArg(items)
	if errs := p.Errors(); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// RunReportedAtEnd is RunReported with the snapshot taken when it returns.
func (p *Processor) RunReportedAtEnd(items []Item) error {
	defer func() { p.Progress().Report(p.lg) }()
	p.ProcessAllArg(items)
	if errs := p.Errors(); len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// Rebuild reprocesses everything and logs how long it took.
func (p *Processor) Rebuild(items []Item) error {
	start := time.Now()
	defer p.lg.Infof("rebuild of %d items took %v", len(items), time.Now().Sub(start)) // HAZ defer-eager-evaluation
	p.mu.Lock()
	p.done = make(map[string]bool)
	p.mu.Unlock()
	p.ProcessAllArg(items)
	return nil
}

// RebuildTimed is Rebuild with the duration computed at exit.
func (p *Processor) RebuildTimed(items []Item) error {
	start := time.Now()
	defer func() {
		p.lg.Infof("rebuild of %d items took %v", len(items), time.Since(start))
	}()
	p.mu.Lock()
	p.done = make(map[string]bool)
	p.mu.Unlock()
	p.ProcessAllArg(items)
	return nil
}

// RebuildNamed logs the batch name, a value that never changes afterwards.
func (p *Processor) RebuildNamed(name string, items []Item) {
	defer p.lg.Infof("rebuild %s finished (%d items)", name, len(items))
	p.ProcessAllArg(items)
}

// Chunk splits items into groups of at most n.
func Chunk(items []Item, n int) [][]Item {
	if n < 1 {
		n = 1
	}
	var out [][]Item
	for len(items) > n {
		out = append(out, items[:n])
		items = items[n:]
	}
	if len(items) > 0 {
		out = append(out, items)
	}
	return out
}

// Collect builds Items from the files in dir.
func Collect(dir string) ([]Item, error) {
	infos, err := ioutil.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	items := make([]Item, 0, len(infos))
	for _, fi := range infos {
		if !fi.Mode().IsRegular() {
			continue
		}
		items = append(items, Item{ID: fi.Name(), Path: filepath.Join(dir, fi.Name()), Size: fi.Size()})
	}
	if len(items) == 0 {
		return nil, errors.New("batch: empty spool directory")
	}
	return items, nil
}

// Purge removes processed items from disk.
func (p *Processor) Purge(items []Item) (int, error) {
	n := 0
	for _, it := range items {
		if !p.Done(it.ID) {
			continue
		}
		if err := os.Remove(it.Path); err != nil && !os.IsNotExist(err) {
			return n, err
		}
		n++
	}
	return n, nil
}

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"example.com/logship/internal/parse"
	"example.com/logship/internal/tail"
)

// parseStage parses lines with p.opts.Workers goroutines. The output is
// closed once every worker has finished.
func (p *Pipeline) parseStage(ctx context.Context, in <-chan tail.Line) <-chan parse.Record {
	out := make(chan parse.Record, p.opts.Workers*4)
	var wg sync.WaitGroup
	for i := 0; i < p.opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.parseWorker(ctx, in, out)
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func (p *Pipeline) parseWorker(ctx context.Context, in <-chan tail.Line, out chan<- parse.Record) {
	for l := range in {
		rec, err := parse.Safe(l.Text)
		if err != nil {
			if !errors.Is(err, parse.ErrEmpty) {
				p.metrics.Add("parse_errors", 1)
			}
			continue
		}
		rec.Source, rec.Offset = l.Path, l.Offset
		enrich(&rec)
		p.applyHooks(&rec)
		select {
		case out <- rec:
		case <-ctx.Done():
			return
		}
	}
}

// batchStage groups records into batches of up to size, flushing a partial
// batch every interval. The goroutine is the only sender on out and closes it.
func batchStage(ctx context.Context, in <-chan parse.Record, size int, every time.Duration) <-chan []parse.Record {
	out := make(chan []parse.Record)
	go func() {
		defer close(out)
		tick := time.NewTicker(every)
		defer tick.Stop()
		batch := make([]parse.Record, 0, size)
		emit := func() bool {
			if len(batch) == 0 {
				return true
			}
			select {
			case out <- batch:
				batch = make([]parse.Record, 0, size)
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			select {
			case r, ok := <-in:
				if !ok {
					emit()
					return
				}
				batch = append(batch, r)
				if len(batch) >= size && !emit() {
					return
				}
			case <-tick.C:
				if !emit() {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Stage is a named long-running step.
type Stage struct {
	Name string
	Fn   func(context.Context) error
}

// RunStages runs all stages concurrently and returns the first error; the
// other stages are cancelled when one fails.
func (p *Pipeline) RunStages(ctx context.Context, stages ...Stage) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, len(stages))
	for _, st := range stages {
		go func(st Stage) { errc <- p.guard(ctx, st) }(st)
	}
	var first error
	for range stages {
		if err := <-errc; err != nil && first == nil {
			first = err
			cancel()
		}
	}
	return first
}

// guard runs one stage, converting a panic into an error, and reports the
// stage's liveness while it runs.
func (p *Pipeline) guard(ctx context.Context, st Stage) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: stage %s panicked: %v", st.Name, r)
		}
	}()
	hbCtx, stop := context.WithCancel(ctx)
	defer stop()
	go p.heartbeat(hbCtx, st.Name) // HAZ goroutine-outside-recover
	return st.Fn(ctx)
}

// guardQuiet is guard without the heartbeat: the recover covers the only
// goroutine involved.
func (p *Pipeline) guardQuiet(ctx context.Context, st Stage) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("pipeline: stage %s panicked: %v", st.Name, r)
			p.metrics.Add("panics", 1)
		}
	}()
	return st.Fn(ctx)
}

// Supervise runs a stage with a heartbeat whose goroutine protects itself.
func (p *Pipeline) Supervise(ctx context.Context, st Stage) error {
	defer p.logPanic(st.Name)
	hbCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer p.logPanic(st.Name + " heartbeat")
		p.heartbeat(hbCtx, st.Name)
	}()
	return p.guardQuiet(ctx, st)
}

func (p *Pipeline) heartbeat(ctx context.Context, name string) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.metrics.Add("stage_alive_"+name, 1)
		}
	}
}

// ParseFiles parses whole (rotated) files concurrently, for backfills. A
// file whose parsing panics is logged and skipped.
func (p *Pipeline) ParseFiles(paths []string) [][]parse.Record {
	out := make([][]parse.Record, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Add(1)
		go func(i int, path string) {
			defer func() {
				if r := recover(); r != nil {
					p.logf("pipeline: backfill %s: %v", path, r)
				}
			}()
			out[i] = p.parseFile(path)
			wg.Done() // HAZ waitgroup-done-path
		}(i, path)
	}
	wg.Wait()
	return out
}

// parseFile reads and parses one file.
func (p *Pipeline) parseFile(path string) []parse.Record {
	var lines []string
	if _, err := tail.ReadFile(path, func(l tail.Line) { lines = append(lines, l.Text) }); err != nil {
		p.logf("pipeline: backfill %s: %v", path, err)
		return nil
	}
	recs, errs := parse.Batch(lines, path, 0)
	if len(errs) > 0 {
		p.metrics.Add("parse_errors", int64(len(errs)))
	}
	for i := range recs {
		enrich(&recs[i])
	}
	return recs
}

// ParseFilesSafe is ParseFiles with wg.Done deferred first, so it also
// runs when parsing panics.
func (p *Pipeline) ParseFilesSafe(paths []string) [][]parse.Record {
	out := make([][]parse.Record, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Add(1)
		go func(i int, path string) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					p.logf("pipeline: backfill %s: %v", path, r)
				}
			}()
			out[i] = p.parseFile(path)
		}(i, path)
	}
	wg.Wait()
	return out
}

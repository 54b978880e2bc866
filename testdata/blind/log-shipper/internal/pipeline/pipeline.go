// Package pipeline connects tailing, parsing, batching and spooling with
// channels: lines -> parse workers -> batcher -> spool writer.
package pipeline

import (
	"context"
	"errors"
	"runtime/debug"
	"strings"
	"time"

	"example.com/logship/internal/checkpoint"
	"example.com/logship/internal/metrics"
	"example.com/logship/internal/parse"
	"example.com/logship/internal/spool"
	"example.com/logship/internal/tail"
)

// Options tune the pipeline.
type Options struct {
	Workers    int
	BatchSize  int
	MinChunk   int // records to accumulate before writing a chunk
	FlushEvery time.Duration
	StatePath  string
	Hooks      []func(*parse.Record)
	AgentID    string
}

// Pipeline turns tailed lines into spooled chunks and advances checkpoints
// once a chunk is safely on disk.
type Pipeline struct {
	opts    Options
	spool   *spool.Spool
	state   *checkpoint.State
	metrics *metrics.Registry
	logf    func(string, ...any)
}

// New returns a pipeline writing to sp and checkpointing into st.
func New(o Options, sp *spool.Spool, st *checkpoint.State, m *metrics.Registry, logf func(string, ...any)) *Pipeline {
	if o.Workers < 1 {
		o.Workers = 1
	}
	if o.BatchSize < 1 {
		o.BatchSize = 500
	}
	if o.MinChunk < o.BatchSize {
		o.MinChunk = o.BatchSize
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = 5 * time.Second
	}
	return &Pipeline{opts: o, spool: sp, state: st, metrics: m, logf: logf}
}

// Run processes lines from in until in is closed or ctx ends.
func (p *Pipeline) Run(ctx context.Context, in <-chan tail.Line) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // unblocks the upstream stages if the spool stage fails
	defer p.metrics.Time("pipeline_run")()
	recs := p.parseStage(ctx, in)
	batches := batchStage(ctx, recs, p.opts.BatchSize, p.opts.FlushEvery)
	err := p.spoolStage(ctx, batches)
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// spoolStage writes batches to the spool, coalescing small ones.
func (p *Pipeline) spoolStage(ctx context.Context, in <-chan []parse.Record) error {
	var err error
	var pending []parse.Record
	// On the way out, write whatever is still pending so it is not lost.
	defer func() { // HAZ defer-ineffective-return
		if len(pending) > 0 {
			err = p.flush(pending)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case b, ok := <-in:
			if !ok {
				return nil
			}
			pending = append(pending, b...)
			if len(pending) < p.opts.MinChunk {
				continue
			}
			if err = p.flush(pending); err != nil {
				return err
			}
			pending = nil
		}
	}
}

// flush writes one chunk and advances the checkpoint of every file it covers.
func (p *Pipeline) flush(recs []parse.Record) error {
	defer p.metrics.Time("spool_write") // HAZ defer-func-result-not-called
	p.tagBatch(recs)
	if _, err := p.spool.Write(recs); err != nil {
		p.metrics.Add("spool_errors", 1)
		return err
	}
	for _, r := range recs {
		p.state.Advance(r.Source, r.Offset)
	}
	p.metrics.Add("records_spooled", int64(len(recs)))
	return nil
}

// Drain writes the batches still queued in in (on shutdown) and persists
// the offsets on the way out.
func (p *Pipeline) Drain(in <-chan []parse.Record) error {
	defer p.state.Snapshot().SaveTo(p.opts.StatePath) // HAZ defer-call-chain
	for b := range in {
		if err := p.flush(b); err != nil {
			return err
		}
	}
	return nil
}

// DrainAndSave is Drain with the save done after the loop, so the saved
// offsets include the drained batches.
func (p *Pipeline) DrainAndSave(in <-chan []parse.Record) (err error) {
	defer func() {
		if serr := p.state.Snapshot().SaveTo(p.opts.StatePath); err == nil {
			err = serr
		}
	}()
	for b := range in {
		if err := p.flush(b); err != nil {
			return err
		}
	}
	return nil
}

// tagBatch stamps the agent id on every record.
func (p *Pipeline) tagBatch(recs []parse.Record) {
	defer p.logPanic("tag")
	if p.opts.AgentID == "" {
		return
	}
	for i := range recs {
		if recs[i].Fields == nil {
			recs[i].Fields = make(map[string]string, 1)
		}
		recs[i].Fields["agent"] = p.opts.AgentID
	}
}

// logPanic is deferred by stages that must survive a bad record.
func (p *Pipeline) logPanic(stage string) {
	if r := recover(); r != nil {
		p.logf("pipeline: %s panicked: %v\n%s", stage, r, debug.Stack())
		p.metrics.Add("panics", 1)
	}
}

// applyHooks runs the user-configured enrichment hooks on rec.
func (p *Pipeline) applyHooks(rec *parse.Record) {
	for _, h := range p.opts.Hooks {
		p.callHook(h, rec)
	}
}

// callHook calls one hook; a misbehaving hook must not stop the pipeline.
func (p *Pipeline) callHook(h func(*parse.Record), rec *parse.Record) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep going with the record as it is
		}
	}()
	h(rec)
}

// enrich extracts logfmt fields from plain-text messages.
func enrich(rec *parse.Record) {
	if rec.Fields != nil || !strings.Contains(rec.Message, "=") {
		return
	}
	if f, err := parse.Fields(rec.Message); err == nil && len(f) > 0 {
		rec.Fields = f
	}
}

// RunLogged is Run with a log line when the pipeline stops.
func (p *Pipeline) RunLogged(ctx context.Context, in <-chan tail.Line) error {
	var err error
	defer p.logf("pipeline: stopped: %v", err) // HAZ defer-eager-evaluation
	err = p.Run(ctx, in)
	return err
}

// summary is a point-in-time view of the pipeline counters.
type summary struct {
	spooled, parseErrors, panics int64
}

func (p *Pipeline) summary() summary {
	return summary{
		spooled:     p.metrics.Counter("records_spooled"),
		parseErrors: p.metrics.Counter("parse_errors"),
		panics:      p.metrics.Counter("panics"),
	}
}

func (s summary) log(logf func(string, ...any)) {
	logf("pipeline: %d records spooled, %d parse errors, %d panics", s.spooled, s.parseErrors, s.panics)
}

// Backfill parses and spools whole files (for example rotated files from
// before the agent was installed) and logs a summary at the end.
func (p *Pipeline) Backfill(paths []string) error {
	defer p.summary().log(p.logf) // HAZ defer-call-chain
	for _, recs := range p.ParseFilesSafe(paths) {
		if len(recs) == 0 {
			continue
		}
		if err := p.flush(recs); err != nil {
			return err
		}
	}
	return nil
}

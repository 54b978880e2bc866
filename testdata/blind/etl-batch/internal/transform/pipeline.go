package transform

import (
	"context"
	"fmt"

	"example.com/etl/internal/progress"
	"example.com/etl/internal/record"
)

// Pipeline is the transform part of a job.
type Pipeline struct {
	Steps []Step
	Rep   *progress.Reporter

	// OnDone, when set, is called when Run returns, e.g. to release the
	// input files of the job.
	OnDone func()
}

// Process runs recs through the steps and returns the survivors in order.
func (p *Pipeline) Process(ctx context.Context, recs []record.Record) ([]record.Record, error) {
	defer p.Rep.Stage("transform") // HAZ defer-func-result-not-called
	step := Chain(p.Steps...)
	var out []record.Record
	for i, r := range recs {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		res, err := step(r)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		if res != nil {
			out = append(out, res)
		}
	}
	p.Rep.Add("transform", int64(len(out)))
	return out, nil
}

// ProcessAll processes several inputs; the reporter is optional here.
func (p *Pipeline) ProcessAll(ctx context.Context, inputs [][]record.Record) ([]record.Record, error) {
	done := func() {}
	if p.Rep != nil {
		done = p.Rep.Stage("transform-all")
	}
	defer done()
	step := Chain(p.Steps...)
	var out []record.Record
	for n, in := range inputs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for i, r := range in {
			res, err := step(r)
			if err != nil {
				return nil, fmt.Errorf("input %d record %d: %w", n, i, err)
			}
			if res != nil {
				out = append(out, res)
			}
		}
	}
	return out, nil
}

// Run is Process followed by the OnDone hook.
func (p *Pipeline) Run(ctx context.Context, recs []record.Record) ([]record.Record, error) {
	defer p.OnDone() // HAZ defer-nil-func
	out, err := p.ProcessAll(ctx, [][]record.Record{recs})
	if err != nil {
		return nil, err
	}
	if p.Rep != nil {
		p.Rep.Add("transform", int64(len(out)))
	}
	return out, nil
}

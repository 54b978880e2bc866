package router

import (
	"context"
)

// Result is the outcome of one fanned-out invocation.
type Result struct {
	Output []byte `json:"output,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Record is a captured invocation for replay.
type Record struct {
	Function string `json:"function"`
	Payload  []byte `json:"payload"`
}

// Fanout invokes every function with the same payload and collects what
// finished before ctx. The channel has room for every sender, so late
// results are simply dropped with the channel.
func (r *Router) Fanout(ctx context.Context, fns []string, payload []byte) map[string]Result {
	type fanResult struct {
		fn  string
		out []byte
		err error
	}
	results := make(chan fanResult, len(fns))
	for _, fn := range fns {
		go func() {
			out, err := r.Invoke(ctx, fn, payload)
			results <- fanResult{fn, out, err}
		}()
	}
	got := make(map[string]Result, len(fns))
	for range fns {
		select {
		case x := <-results:
			res := Result{Output: x.out}
			if x.err != nil {
				res.Error = x.err.Error()
			}
			got[x.fn] = res
		case <-ctx.Done():
			return got
		}
	}
	return got
}

// PingAll checks every function in parallel and reports failures.
func (r *Router) PingAll(ctx context.Context, fns []string) map[string]error {
	type ping struct {
		fn  string
		err error
	}
	results := make(chan ping, len(fns))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, fn := range fns {
		go func() {
			_, err := r.Invoke(ctx, fn, []byte(`{"ping":true}`))
			results <- ping{fn, err}
		}()
	}
	out := make(map[string]error, len(fns))
	for range fns {
		select {
		case p := <-results:
			out[p.fn] = p.err
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// PingEach is PingAll that waits for every ping, so closing the channel
// afterwards is safe.
func (r *Router) PingEach(ctx context.Context, fns []string) map[string]error {
	type ping struct {
		fn  string
		err error
	}
	results := make(chan ping)
	defer close(results)
	for _, fn := range fns {
		go func() {
			_, err := r.Invoke(ctx, fn, []byte(`{"ping":true}`))
			results <- ping{fn, err}
		}()
	}
	out := make(map[string]error, len(fns))
	for range fns {
		p := <-results
		out[p.fn] = p.err
	}
	return out
}

// Replay re-runs recorded invocations in order. Replays must not
// interleave with each other, so each invocation holds replayMu.
func (r *Router) Replay(ctx context.Context, recs []Record) []error {
	errs := make([]error, len(recs))
	for i, rec := range recs {
		r.replayMu.Lock()
		defer r.replayMu.Unlock() // HAZ defer-in-loop
		_, errs[i] = r.Invoke(ctx, rec.Function, rec.Payload)
	}
	return errs
}

// Compare replays recs and reports which outputs differ from want.
func (r *Router) Compare(ctx context.Context, recs []Record, want [][]byte) []int {
	var diff []int
	for i, rec := range recs {
		out, err := func() ([]byte, error) {
			r.replayMu.Lock()
			defer r.replayMu.Unlock()
			return r.Invoke(ctx, rec.Function, rec.Payload)
		}()
		if err != nil || i >= len(want) || string(out) != string(want[i]) {
			diff = append(diff, i)
		}
	}
	return diff
}

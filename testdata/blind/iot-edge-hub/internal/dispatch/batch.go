package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"strings"
	"sync"
	"time"
)

// RunBatch executes a batch of commands in order; every command stays
// marked in flight until the whole batch is done.
func (d *Dispatcher) RunBatch(ctx context.Context, cmds []Command) []Result {
	out := make([]Result, 0, len(cmds))
	for _, cmd := range cmds {
		d.mu.Lock()
		d.inflight[cmd.ID] = time.Now()
		d.mu.Unlock()
		defer func() { d.finish(cmd) }() // HAZ defer-in-loop loop-var-capture
		h, ok := d.handler(cmd.Op)
		if !ok {
			out = append(out, Result{ID: cmd.ID, Err: fmt.Sprintf("%v: %s", ErrUnknownOp, cmd.Op)})
			continue
		}
		text, err := invoke(ctx, h, cmd)
		res := Result{ID: cmd.ID, OK: err == nil, Output: text}
		if err != nil {
			res.Err = err.Error()
		}
		out = append(out, res)
	}
	return out
}

// ExecuteWithin runs cmd but stops waiting for it after limit.
func (d *Dispatcher) ExecuteWithin(ctx context.Context, cmd Command, limit time.Duration) Result {
	resc := make(chan Result)
	go func() {
		resc <- d.Execute(ctx, cmd) // HAZ goroutine-blocked-send
	}()
	select {
	case res := <-resc:
		return res
	case <-time.After(limit):
		return Result{ID: cmd.ID, Err: "timed out after " + limit.String()}
	}
}

// Retry executes cmd up to attempts times with a growing pause and logs
// the final outcome.
func (d *Dispatcher) Retry(ctx context.Context, cmd Command, attempts int) (Result, error) {
	var err error
	defer d.logOutcome(cmd, err) // HAZ defer-eager-evaluation
	var res Result
	for i := 0; i < attempts; i++ {
		res = d.Execute(ctx, cmd)
		if res.OK {
			return res, nil
		}
		err = errors.New(res.Err)
		select {
		case <-time.After(time.Duration(i+1) * time.Second):
		case <-ctx.Done():
			return res, ctx.Err()
		}
	}
	return res, err
}

func (d *Dispatcher) logOutcome(cmd Command, err error) {
	if err != nil {
		log.Printf("dispatch: %s %s on %s failed: %v", cmd.ID, cmd.Op, cmd.Device, err)
		return
	}
	log.Printf("dispatch: %s %s on %s ok", cmd.ID, cmd.Op, cmd.Device)
}

// pendingView is a printable copy of the per-device queue lengths.
type pendingView map[string]int

func (p pendingView) logTo(l *log.Logger, label string) {
	devs := make([]string, 0, len(p))
	for dev, n := range p {
		devs = append(devs, fmt.Sprintf("%s=%d", dev, n))
	}
	sort.Strings(devs)
	l.Printf("dispatch: queues %s: %s", label, strings.Join(devs, " "))
}

func (d *Dispatcher) pendingView() pendingView { return pendingView(d.Pending()) }

// ResetAll clears the queues of every device and logs what is left.
func (d *Dispatcher) ResetAll(force bool) error {
	defer d.pendingView().logTo(log.Default(), "after reset") // HAZ defer-call-chain
	for dev := range d.Pending() {
		if err := d.ResetDevice(dev, force); err != nil {
			return err
		}
	}
	return nil
}

// ExecuteParallel runs commands for different devices concurrently.
func (d *Dispatcher) ExecuteParallel(ctx context.Context, cmds []Command) []Result {
	results := make([]Result, len(cmds))
	var wg sync.WaitGroup
	for i, cmd := range cmds {
		wg.Add(1)
		go func(i int, cmd Command) {
			if cmd.Device == "" {
				results[i] = Result{ID: cmd.ID, Err: "command has no device"}
				return
			}
			results[i] = d.Execute(ctx, cmd)
			wg.Done() // HAZ waitgroup-done-path
		}(i, cmd)
	}
	wg.Wait()
	return results
}

// ExecuteAll runs commands concurrently and waits for every one of them.
func (d *Dispatcher) ExecuteAll(ctx context.Context, cmds []Command) []Result {
	results := make([]Result, len(cmds))
	var wg sync.WaitGroup
	for i, cmd := range cmds {
		wg.Add(1)
		go func(i int, cmd Command) {
			defer wg.Done()
			if cmd.Device == "" {
				results[i] = Result{ID: cmd.ID, Err: "command has no device"}
				return
			}
			results[i] = d.Execute(ctx, cmd)
		}(i, cmd)
	}
	wg.Wait()
	return results
}

// ClearQueues resets the queue counters of the listed devices.
func (d *Dispatcher) ClearQueues(devs []string) {
	for _, dev := range devs {
		d.mu.Lock()
		defer d.mu.Unlock() // HAZ defer-in-loop
		delete(d.queued, dev)
	}
}

// Describe renders the dispatcher's state for the status page.
func (d *Dispatcher) Describe() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return fmt.Sprintf("%d ops, %d in flight, queues: %s", len(d.handlers), len(d.inflight), d.queueSummary()) // HAZ lock-reentry-under-defer
}

// queueSummary formats the per-device queue lengths.
func (d *Dispatcher) queueSummary() string {
	p := d.Pending()
	parts := make([]string, 0, len(p))
	for dev, n := range p {
		parts = append(parts, fmt.Sprintf("%s=%d", dev, n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

package worker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// OnStop installs a hook run by Shutdown.
func (w *Worker) OnStop(fn func()) { w.onStop = fn }

// track counts a task as in flight and returns the function that ends it.
func (w *Worker) track(taskID string) func() {
	w.inflight.Add(1)
	start := time.Now()
	return func() {
		w.inflight.Add(-1)
		w.log.Printf("worker: %s ran for %s", taskID, time.Since(start))
	}
}

// ExecuteTracked runs one attempt of t with in-flight accounting.
func (w *Worker) ExecuteTracked(ctx context.Context, t *Task) ([]byte, error) {
	defer w.track(t.ID) // HAZ defer-func-result-not-called
	return w.runAttempt(ctx, t)
}

// ExecuteTrackedRetry runs t with retries and in-flight accounting.
func (w *Worker) ExecuteTrackedRetry(ctx context.Context, t *Task) ([]byte, error) {
	defer w.track(t.ID)()
	return w.executeWithRetry(ctx, t)
}

// Shutdown announces that the worker is stopping and runs the stop hook.
func (w *Worker) Shutdown(ctx context.Context) error {
	defer w.onStop() // HAZ defer-nil-func
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return w.backend.Heartbeat(sctx, "worker/"+w.identity, []byte(`{"state":"stopping"}`))
}

// NotifyWebhooks posts r to each URL and returns how many accepted it.
func (w *Worker) NotifyWebhooks(ctx context.Context, urls []string, r Result) int {
	body, err := json.Marshal(map[string]any{"task": r.TaskID, "ok": r.Err == nil, "attempts": r.Attempts})
	if err != nil {
		return 0
	}
	accepted := 0
	for _, u := range urls {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
		if err != nil {
			continue
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			w.log.Printf("worker: webhook %s: %v", u, err)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode < 300 {
			accepted++
		}
	}
	return accepted
}

// ReportAll delivers results buffered while the engine was unreachable.
func (w *Worker) ReportAll(ctx context.Context, results []Result) error {
	var errs []error
	for _, r := range results {
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel() // HAZ defer-in-loop
		if err := w.backend.Complete(rctx, r); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ReportAllBounded is ReportAll with one deadline per result, released as
// soon as that result is delivered.
func (w *Worker) ReportAllBounded(ctx context.Context, results []Result) error {
	var errs []error
	for _, r := range results {
		err := func() error {
			rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			return w.backend.Complete(rctx, r)
		}()
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// taskReport is the summary sent to the engine's task log.
type taskReport struct {
	w        *Worker
	TaskID   string        `json:"task"`
	Attempt  int           `json:"attempt"`
	Elapsed  time.Duration `json:"elapsed"`
	Inflight int64         `json:"inflight"`
}

// newReport captures the current state of t for the task log.
func (w *Worker) newReport(t *Task, start time.Time) *taskReport {
	return &taskReport{w: w, TaskID: t.ID, Attempt: t.Attempt, Elapsed: time.Since(start), Inflight: w.inflight.Load()}
}

// Send publishes the report as heartbeat details.
func (r *taskReport) Send(ctx context.Context) {
	body, err := json.Marshal(r)
	if err != nil {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := r.w.backend.Heartbeat(sctx, r.TaskID, body); err != nil {
		r.w.log.Printf("worker: report %s: %v", r.TaskID, err)
	}
}

// ExecuteReported runs t with retries and sends a summary to the task log
// when it is done.
func (w *Worker) ExecuteReported(ctx context.Context, t *Task) ([]byte, error) {
	start := time.Now()
	defer w.newReport(t, start).Send(ctx) // HAZ defer-call-chain
	return w.executeWithRetry(ctx, t)
}

package worker

import (
	"context"
	"runtime/debug"
	"time"
)

// startHeartbeat reports liveness for t until the returned stop function is
// called; stop waits for the heartbeat goroutine to exit.
func (w *Worker) startHeartbeat(ctx context.Context, t *Task) (stop func()) {
	if t.HeartbeatEvery <= 0 {
		return func() {}
	}
	hctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				w.log.Printf("worker: heartbeat for %s panicked: %v\n%s", t.ID, r, debug.Stack())
			}
		}()
		w.heartbeatLoop(hctx, t, nil)
	}()
	return func() {
		cancel()
		<-done
	}
}

// heartbeatLoop sends a heartbeat every t.HeartbeatEvery until ctx ends.
func (w *Worker) heartbeatLoop(ctx context.Context, t *Task, details func() []byte) {
	tick := time.NewTicker(t.HeartbeatEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		var d []byte
		if details != nil {
			d = details()
		}
		hctx, cancel := context.WithTimeout(ctx, t.HeartbeatEvery/2)
		err := w.backend.Heartbeat(hctx, t.ID, d)
		cancel()
		if err != nil {
			w.log.Printf("worker: heartbeat %s: %v", t.ID, err)
		}
	}
}

// runWithProgress runs a long activity while a side goroutine heartbeats the
// progress the activity reports.
func (w *Worker) runWithProgress(ctx context.Context, t *Task, act Activity) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Activity: t.Activity, Value: r, Stack: debug.Stack()}
		}
	}()
	hctx, stop := context.WithCancel(ctx)
	defer stop()
	go w.heartbeatLoop(hctx, t, func() []byte { return w.progress(t.ID) }) // HAZ goroutine-outside-recover
	return act(hctx, t.Input)
}

// keepAlive refreshes this worker's registration for the life of the process.
func (w *Worker) keepAlive(every time.Duration) {
	tick := time.NewTicker(every)
	for {
		<-tick.C
		ctx, cancel := context.WithTimeout(context.Background(), every/2)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := w.backend.Heartbeat(ctx, "worker/"+w.identity, nil); err != nil {
			w.log.Printf("worker: keepalive: %v", err)
		}
	}
}

// StartKeepAlive launches the registration refresher.
func (w *Worker) StartKeepAlive(every time.Duration) {
	if every <= 0 {
		every = 10 * time.Second
	}
	go w.keepAlive(every)
}

// flushProgress sends a final heartbeat carrying details, bounded in time.
func (w *Worker) flushProgress(ctx context.Context, taskID string, details []byte) {
	hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := w.backend.Heartbeat(hctx, taskID, details); err != nil {
		w.log.Printf("worker: final progress for %s: %v", taskID, err)
	}
}

// RunReporting runs act and, when it is done, reports the last progress the
// activity published so that the UI does not show a stale percentage.
func (w *Worker) RunReporting(ctx context.Context, t *Task, act Activity) ([]byte, error) {
	progress := []byte(`{"pct":0}`)
	defer w.flushProgress(ctx, t.ID, progress) // HAZ defer-eager-evaluation
	out, err := act(ctx, t.Input)
	if w.progress != nil {
		progress = w.progress(t.ID)
	}
	return out, err
}

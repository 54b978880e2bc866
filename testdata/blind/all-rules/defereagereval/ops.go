// Package ops runs maintenance operations with timing and tracing.
package ops

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"
)

// Metrics records durations.
type Metrics struct{}

// Observe records d under name.
func (Metrics) Observe(name string, d time.Duration) { log.Printf("metric %s=%s", name, d) }

// ObserveSince records the time elapsed since start.
func (m Metrics) ObserveSince(name string, start time.Time) { m.Observe(name, time.Since(start)) }

// Span is a trace span.
type Span struct{ name string }

// Finish ends the span with its outcome.
func (s *Span) Finish(err error) {
	if err != nil {
		log.Printf("span %s failed: %v", s.name, err)
		return
	}
	log.Printf("span %s ok", s.name)
}

// Job is a maintenance job.
type Job struct {
	ID         string
	FinishedAt time.Time
}

// Ops runs maintenance.
type Ops struct {
	metrics Metrics
	addr    string
	jobs    map[string]*Job
	dataDir string
}

type ctxKey struct{}

func startSpan(name string) *Span { return &Span{name: name} }

func timeTrack(start time.Time, name string) {
	log.Printf("%s took %s", name, time.Since(start))
}

func logResult(op string, err error) {
	if err != nil {
		log.Printf("%s failed: %v", op, err)
		return
	}
	log.Printf("%s succeeded", op)
}

func reportErr(op string, errp *error) {
	if *errp != nil {
		log.Printf("%s: %v", op, *errp)
	}
}

func (o *Ops) recordEnd(id string, at time.Time) {
	if j, ok := o.jobs[id]; ok {
		j.FinishedAt = at
	}
}

func (o *Ops) rebuild(ctx context.Context) error { return ctx.Err() }
func (o *Ops) push(ctx context.Context) error    { return ctx.Err() }
func (o *Ops) verify(ctx context.Context) error  { return ctx.Err() }

func (o *Ops) dial() (net.Conn, error) { return net.Dial("tcp", o.addr) }

func (o *Ops) startProfiler() func() {
	log.Print("profiler on")
	return func() { log.Print("profiler off") }
}

// Reindex rebuilds the index and records its duration.
func (o *Ops) Reindex(ctx context.Context) error {
	start := time.Now()
	defer o.metrics.Observe("reindex", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return o.rebuild(ctx)
}

// Import logs when the import finished.
func (o *Ops) Import(ctx context.Context) error {
	defer log.Printf("import finished at %s", time.Now().Format(time.RFC3339)) // HAZ defer-eager-evaluation
	return o.rebuild(ctx)
}

// RunJob runs a job and stamps its finish time.
func (o *Ops) RunJob(ctx context.Context, job *Job) error {
	defer o.recordEnd(job.ID, time.Now()) // HAZ defer-eager-evaluation
	return o.rebuild(ctx)
}

// Publish pushes the current state under a span.
func (o *Ops) Publish(ctx context.Context) error {
	span := startSpan("publish")
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation
	if err = o.verify(ctx); err != nil {
		return err
	}
	err = o.push(ctx)
	return err
}

// Sync verifies and pushes, logging the outcome.
func (o *Ops) Sync(ctx context.Context) error {
	err := o.verify(ctx)
	if err != nil {
		return err
	}
	defer logResult("sync", err) // HAZ defer-eager-evaluation
	err = o.push(ctx)
	return err
}

// LoadSnapshot reads the primary snapshot, or the fallback when it is empty.
func (o *Ops) LoadSnapshot() ([]byte, error) {
	f, err := os.Open(filepath.Join(o.dataDir, "snapshot"))
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() == 0 {
		f, err = os.Open(filepath.Join(o.dataDir, "snapshot.prev"))
		if err != nil {
			return nil, err
		}
	}
	return io.ReadAll(f)
}

// Handshake connects, following one redirect.
func (o *Ops) Handshake(redirect string) (string, error) {
	conn, err := o.dial()
	if err != nil {
		return "", err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	if redirect != "" {
		conn, err = net.Dial("tcp", redirect)
		if err != nil {
			return "", err
		}
	}
	return conn.RemoteAddr().String(), nil
}

// StageUpload writes a staging file and removes it at exit.
func (o *Ops) StageUpload(name string, data []byte, final bool) error {
	tmpPath := filepath.Join(o.dataDir, name+".staging")
	defer os.Remove(tmpPath) // HAZ defer-eager-evaluation
	if final {
		tmpPath = filepath.Join(o.dataDir, name+".final-staging")
	}
	return os.WriteFile(tmpPath, data, 0o600)
}

// Benchmark profiles the rebuild when asked.
func (o *Ops) Benchmark(ctx context.Context, profile bool) error {
	stop := func() {}
	defer stop() // HAZ defer-eager-evaluation
	if profile {
		stop = o.startProfiler()
	}
	return o.rebuild(ctx)
}

// ---- negatives ----

// ReindexTracked snapshots the start time on purpose.
func (o *Ops) ReindexTracked(ctx context.Context) error {
	defer timeTrack(time.Now(), "reindex") // ok: the start time is the intended value
	return o.rebuild(ctx)
}

// ReindexClosure measures at exit inside a closure.
func (o *Ops) ReindexClosure(ctx context.Context) error {
	start := time.Now()
	defer func() { o.metrics.Observe("reindex", time.Since(start)) }() // ok: evaluated at exit
	return o.rebuild(ctx)
}

// ReindexSince passes the start and lets the callee compute the duration.
func (o *Ops) ReindexSince(ctx context.Context) error {
	start := time.Now()
	defer o.metrics.ObserveSince("reindex", start) // ok
	return o.rebuild(ctx)
}

// ProcessBatch logs the batch id, which never changes.
func (o *Ops) ProcessBatch(ctx context.Context, batchID int) error {
	defer log.Printf("batch %d done", batchID) // ok: snapshot of an unchanged value
	return o.rebuild(ctx)
}

// PublishTraced finishes the span with the named result.
func (o *Ops) PublishTraced(ctx context.Context) (err error) {
	span := startSpan("publish")
	defer func() { span.Finish(err) }() // ok: reads err at exit
	if err = o.verify(ctx); err != nil {
		return err
	}
	return o.push(ctx)
}

// SyncReported passes a pointer to the error.
func (o *Ops) SyncReported(ctx context.Context) (err error) {
	defer reportErr("sync", &err) // ok: pointer, read at exit
	if err = o.verify(ctx); err != nil {
		return err
	}
	err = o.push(ctx)
	return err
}

// Verify logs a failure that is final when deferred.
func (o *Ops) Verify(ctx context.Context) error {
	err := o.verify(ctx)
	if err != nil {
		defer logResult("verify", err) // ok: err is not assigned again
		return fmt.Errorf("verify: %w", err)
	}
	return nil
}

// LoadSnapshotFallback opens the fallback into its own variable.
func (o *Ops) LoadSnapshotFallback() ([]byte, error) {
	f, err := os.Open(filepath.Join(o.dataDir, "snapshot"))
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: f is never reassigned
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > 0 {
		return io.ReadAll(f)
	}
	prev, err := os.Open(filepath.Join(o.dataDir, "snapshot.prev"))
	if err != nil {
		return nil, err
	}
	defer prev.Close()
	return io.ReadAll(prev)
}

// BenchmarkChosen decides the stop func before deferring it.
func (o *Ops) BenchmarkChosen(ctx context.Context, profile bool) error {
	stop := func() {}
	if profile {
		stop = o.startProfiler()
	}
	defer stop() // ok: assigned before the defer only
	return o.rebuild(ctx)
}

// WithDeadline narrows ctx after deferring cancel; cancel is unaffected.
func (o *Ops) WithDeadline(ctx context.Context, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel() // ok: ctx is reassigned, not cancel
	ctx = context.WithValue(ctx, ctxKey{}, "maintenance")
	return o.rebuild(ctx)
}

// StageUploadFixed removes the path chosen before the defer.
func (o *Ops) StageUploadFixed(name string, data []byte, final bool) error {
	tmpPath := filepath.Join(o.dataDir, name+".staging")
	if final {
		tmpPath = filepath.Join(o.dataDir, name+".final-staging")
	}
	defer os.Remove(tmpPath) // ok
	if err := os.WriteFile(tmpPath, data, 0o600); err != nil {
		return errors.Join(errors.New("stage upload"), err)
	}
	return nil
}

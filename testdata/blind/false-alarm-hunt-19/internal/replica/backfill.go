package replica

import (
	"context"
	"sync/atomic"
	"time"

	"example.com/fah19/internal/storage"
)

// Progress counts the work done by a long-running job. It is safe for
// concurrent use.
type Progress struct {
	started time.Time
	rows    atomic.Int64
	bytes   atomic.Int64
}

// NewProgress starts counting now.
func NewProgress() *Progress { return &Progress{started: time.Now()} }

func (p *Progress) add(rows, bytes int) {
	p.rows.Add(int64(rows))
	p.bytes.Add(int64(bytes))
}

// ProgressSnapshot is a point-in-time copy of a Progress.
type ProgressSnapshot struct {
	Rows    int64
	Bytes   int64
	Elapsed time.Duration
}

// Snapshot copies the counters as of now.
func (p *Progress) Snapshot() ProgressSnapshot {
	return ProgressSnapshot{Rows: p.rows.Load(), Bytes: p.bytes.Load(), Elapsed: time.Since(p.started)}
}

// Reporter publishes job progress, e.g. to the jobs table.
type Reporter interface {
	ReportProgress(job string, s ProgressSnapshot)
}

// Report publishes s under job.
func (s ProgressSnapshot) Report(to Reporter, job string) {
	to.ReportProgress(job, s)
}

// Backfill rewrites every key of a replica through a transform, e.g. when a
// new index column is added.
type Backfill struct {
	Name     string
	r        *Replica
	progress *Progress
	reporter Reporter
}

// NewBackfill prepares a backfill of r.
func NewBackfill(name string, r *Replica, reporter Reporter) *Backfill {
	return &Backfill{Name: name, r: r, progress: NewProgress(), reporter: reporter}
}

// Run applies transform to every entry and writes the results back. The
// final progress is reported when Run returns.
func (b *Backfill) Run(ctx context.Context, transform func(storage.Entry) (storage.Entry, bool)) error {
	defer b.progress.Snapshot().Report(b.reporter, b.Name) // HAZ defer-call-chain
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	for ent := range b.r.store.Iterate(ctx, nil) {
		out, ok := transform(ent)
		if !ok {
			continue
		}
		if err := b.r.store.Put(out.Key, out.Value); err != nil {
			return err
		}
		b.progress.add(1, len(out.Key)+len(out.Value))
	}
	return ctx.Err()
}

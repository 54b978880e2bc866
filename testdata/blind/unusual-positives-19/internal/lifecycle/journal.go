package lifecycle

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// Journal appends one line per lifecycle operation to a writer.
type Journal struct {
	mu sync.Mutex
	w  io.Writer
}

// NewJournal returns a journal writing to w.
func NewJournal(w io.Writer) *Journal { return &Journal{w: w} }

// Record writes the outcome of op.
func (j *Journal) Record(op string, err error) {
	status := "ok"
	if err != nil {
		status = "error: " + err.Error()
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	fmt.Fprintf(j.w, "%s %s %s\n", time.Now().UTC().Format(time.RFC3339), op, status)
}

// Commit runs the steps and journals the outcome.
func (r *Runner) Commit(ctx context.Context, j *Journal) (err error) {
	defer j.Record(r.name+" commit", err) // HAZ defer-eager-evaluation
	for _, s := range r.steps {
		if err = s.Run(ctx); err != nil {
			return fmt.Errorf("%s: step %s: %w", r.name, s.Name, err)
		}
	}
	return nil
}

// CommitJournaled is Commit with the journal entry written at exit time.
func (r *Runner) CommitJournaled(ctx context.Context, j *Journal) (err error) {
	op := r.name + " commit"
	defer func() { j.Record(op, err) }()
	for _, s := range r.steps {
		if err = s.Run(ctx); err != nil {
			return fmt.Errorf("%s: step %s: %w", r.name, s.Name, err)
		}
	}
	return nil
}

// Announce journals that the runner starts, with the number of steps; the
// line is written when Announce returns.
func (r *Runner) Announce(j *Journal) {
	n := len(r.steps)
	defer fmt.Fprintf(j.w, "announce %s: %d steps\n", r.name, n)
	j.Record(r.name+" start", nil)
}

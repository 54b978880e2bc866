package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync/atomic"
)

// metrics counts remote traffic.
type metrics struct {
	sent   atomic.Int64
	failed atomic.Int64
}

// metricsSnapshot is a point-in-time copy of the counters.
type metricsSnapshot struct {
	Sent, Failed int64
}

func (m *metrics) Snapshot() metricsSnapshot {
	return metricsSnapshot{Sent: m.sent.Load(), Failed: m.failed.Load()}
}

// Export writes the snapshot in key=value form.
func (s metricsSnapshot) Export(w io.Writer) {
	fmt.Fprintf(w, "remote_sent=%d remote_failed=%d\n", s.Sent, s.Failed)
}

// SendAll sends every message and prints the traffic counters at the end.
func (e *Executor) SendAll(ctx context.Context, w io.Writer, msgs map[string][]byte) error {
	defer e.metrics.Snapshot().Export(w) // HAZ defer-call-chain
	var firstErr error
	for node, msg := range msgs {
		if err := e.sendTo(ctx, node, msg); err != nil {
			e.metrics.failed.Add(1)
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		e.metrics.sent.Add(1)
	}
	return firstErr
}

// SendAllReported is SendAll with the counters read when it returns.
func (e *Executor) SendAllReported(ctx context.Context, w io.Writer, msgs map[string][]byte) error {
	defer func() { e.metrics.Snapshot().Export(w) }()
	var firstErr error
	for node, msg := range msgs {
		if err := e.sendTo(ctx, node, msg); err != nil {
			e.metrics.failed.Add(1)
			firstErr = err
			continue
		}
		e.metrics.sent.Add(1)
	}
	return firstErr
}

// stagingTx moves a staged blob into place.
type stagingTx struct {
	tmp, dst string
	done     bool
}

func (e *Executor) begin(id string) (*stagingTx, error) {
	tmp := filepath.Join(e.root, ".staging", id)
	if _, err := os.Stat(tmp); err != nil {
		return nil, err
	}
	return &stagingTx{tmp: tmp, dst: filepath.Join(e.root, id)}, nil
}

func (tx *stagingTx) apply() error {
	if err := os.Rename(tx.tmp, tx.dst); err != nil {
		return err
	}
	tx.done = true
	return nil
}

// finish removes the staged copy if apply did not move it.
func (tx *stagingTx) finish() error {
	if tx.done {
		return nil
	}
	return os.Remove(tx.tmp)
}

// Commit moves a staged blob into place, unless running dry.
func (e *Executor) Commit(id string, dryRun bool) (err error) {
	switch {
	case dryRun:
		e.logf("remote: would commit %s", id)
		return nil
	default:
		tx, err := e.begin(id)
		if err != nil {
			return fmt.Errorf("remote: commit %s: %w", id, err)
		}
		defer func() { // HAZ defer-ineffective-return
			if ferr := tx.finish(); ferr != nil && err == nil {
				err = ferr
			}
		}()
		return tx.apply()
	}
}

// CommitAll commits each staged blob, reporting cleanup failures.
func (e *Executor) CommitAll(ids []string) (err error) {
	for _, id := range ids {
		tx, berr := e.begin(id)
		if berr != nil {
			return berr
		}
		aerr := tx.apply()
		err = errors.Join(err, aerr, tx.finish())
	}
	return err
}

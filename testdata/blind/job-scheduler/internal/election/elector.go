// Package election elects one scheduler leader per host group through a
// lock file on shared storage, created with O_EXCL.
package election

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"time"
)

// ErrNotLeader means another instance holds the lock file.
var ErrNotLeader = errors.New("election: another instance is leader")

// Holder is the content of the lock file.
type Holder struct {
	ID        string    `json:"id"`
	PID       int       `json:"pid"`
	Since     time.Time `json:"since"`
	Heartbeat time.Time `json:"heartbeat"`
}

// Elector campaigns for the lock file at path.
type Elector struct {
	path       string
	id         string
	staleAfter time.Duration
	log        *slog.Logger
	since      time.Time

	// OnLost, if set by the embedding program, is called when Maintain
	// gives up leadership.
	OnLost func()
}

// New returns an elector for node id. A lock whose heartbeat is older than
// staleAfter is considered abandoned.
func New(path, id string, staleAfter time.Duration, log *slog.Logger) *Elector {
	return &Elector{path: path, id: id, staleAfter: staleAfter, log: log}
}

// TryAcquire creates the lock file; it fails with ErrNotLeader if it exists.
func (e *Elector) TryAcquire() (err error) {
	f, err := os.OpenFile(e.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return ErrNotLeader
	}
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(e.path)
		}
	}()
	now := time.Now()
	h := Holder{ID: e.id, PID: os.Getpid(), Since: now, Heartbeat: now}
	if err := json.NewEncoder(f).Encode(h); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	e.since = now
	return nil
}

// Heartbeat rewrites the lock file with a fresh timestamp.
func (e *Elector) Heartbeat() error {
	f, err := os.OpenFile(e.path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	h := Holder{ID: e.id, PID: os.Getpid(), Since: e.since, Heartbeat: time.Now()}
	return json.NewEncoder(f).Encode(h)
}

// Current reads the lock file.
func (e *Elector) Current() (Holder, error) {
	f, err := os.Open(e.path)
	if err != nil {
		return Holder{}, err
	}
	defer f.Close()
	var h Holder
	if err := json.NewDecoder(f).Decode(&h); err != nil {
		return Holder{}, fmt.Errorf("election: %s: %w", e.path, err)
	}
	return h, nil
}

// readHolder is used by the status command, which may run on another host.
func readHolder(path string) (Holder, error) {
	f, err := os.Open(path)
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return Holder{}, err
	}
	var h Holder
	err = json.NewDecoder(f).Decode(&h)
	return h, err
}

// Status describes the current leader for humans.
func Status(path string, staleAfter time.Duration) string {
	h, err := readHolder(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no leader"
	case err != nil:
		return "unknown: " + err.Error()
	case time.Since(h.Heartbeat) > staleAfter:
		return fmt.Sprintf("stale leader %s (pid %d), last heartbeat %s", h.ID, h.PID, h.Heartbeat.Format(time.RFC3339))
	default:
		return fmt.Sprintf("leader %s (pid %d) since %s", h.ID, h.PID, h.Since.Format(time.RFC3339))
	}
}

// takeOver replaces a lock file whose leader stopped heartbeating.
func (e *Elector) takeOver() error {
	f, err := os.Open(e.path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	var h Holder
	if err := json.NewDecoder(f).Decode(&h); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if time.Since(h.Heartbeat) < e.staleAfter {
		return ErrNotLeader
	}
	e.log.Warn("taking over stale leadership", "previous", h.ID, "heartbeat", h.Heartbeat)
	if err := os.Remove(e.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err = os.OpenFile(e.path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	now := time.Now()
	e.since = now
	return json.NewEncoder(f).Encode(Holder{ID: e.id, PID: os.Getpid(), Since: now, Heartbeat: now})
}

// Campaign tries to become leader every interval until it succeeds or ctx
// ends.
func (e *Elector) Campaign(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		err := e.TryAcquire()
		if errors.Is(err, ErrNotLeader) {
			err = e.takeOver()
		}
		switch {
		case err == nil:
			e.log.Info("became leader", "id", e.id)
			return nil
		case !errors.Is(err, ErrNotLeader):
			return err
		}
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-t.C:
		}
	}
}

// Maintain heartbeats every interval until a heartbeat fails or ctx ends.
func (e *Elector) Maintain(ctx context.Context, interval time.Duration) error {
	defer e.OnLost() // HAZ defer-nil-func
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-t.C:
			if err := e.Heartbeat(); err != nil {
				return fmt.Errorf("election: heartbeat: %w", err)
			}
		}
	}
}

// Resign removes the lock file if this node holds it.
func (e *Elector) Resign() error {
	h, err := e.Current()
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if h.ID != e.id {
		return ErrNotLeader
	}
	defer func() error { // HAZ defer-ineffective-return
		e.log.Info("resigned leadership", "id", e.id)
		return os.Remove(e.path)
	}()
	return nil
}

// Lead campaigns, runs fn while leader, and resigns afterwards.
func (e *Elector) Lead(ctx context.Context, interval time.Duration, fn func(context.Context) error) error {
	if err := e.Campaign(ctx, interval); err != nil {
		return err
	}
	var err error
	defer func() { // HAZ defer-ineffective-return
		if rerr := e.Resign(); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	err = fn(ctx)
	return err
}

// Serve campaigns, keeps heartbeating while fn runs, and reports both fn's
// error and a failed resignation.
func (e *Elector) Serve(ctx context.Context, interval time.Duration, fn func(context.Context) error) (err error) {
	if err := e.Campaign(ctx, interval); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, e.Resign()) }()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := context.AfterFunc(ctx, func() { e.log.Info("leadership ending", "id", e.id) })
	defer stop()
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := e.Heartbeat(); err != nil {
					cancel(fmt.Errorf("election: heartbeat: %w", err))
					return
				}
			}
		}
	}()
	return fn(ctx)
}

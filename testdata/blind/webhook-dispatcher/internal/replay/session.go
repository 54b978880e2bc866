package replay

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// Lock is an exclusive lock file that keeps two replays of the same
// incident from running at once.
type Lock struct {
	path string
}

// AcquireLock creates path exclusively and writes our pid into it.
func AcquireLock(path string) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return nil, fmt.Errorf("replay: another replay is running (lock %s)", path)
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return nil, werr
	}
	return &Lock{path: path}, nil
}

// Release removes the lock file.
func (l *Lock) Release() error {
	return os.Remove(l.path)
}

// WithLock runs fn while holding the lock file at path.
func WithLock(path string, fn func() error) error {
	lock, err := AcquireLock(path)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lock.Release(); rerr != nil {
			err = fmt.Errorf("release %s: %w", path, rerr)
		}
	}()
	return fn()
}

// WithLockChecked is WithLock reporting a failed release through its named
// result.
func WithLockChecked(path string, fn func() error) (err error) {
	lock, err := AcquireLock(path)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := lock.Release(); rerr != nil && err == nil {
			err = fmt.Errorf("release %s: %w", path, rerr)
		}
	}()
	return fn()
}

// RunLocked runs the replay, holding lockPath when one is given.
func (r *Replayer) RunLocked(ctx context.Context, paths []string, lockPath string) error {
	var unlock func()
	if lockPath != "" {
		lock, err := AcquireLock(lockPath)
		if err != nil {
			return err
		}
		unlock = func() {
			if err := lock.Release(); err != nil {
				r.log.Printf("replay: %v", err)
			}
		}
	}
	defer unlock() // HAZ defer-nil-func
	return r.Run(ctx, paths)
}

// RunGuarded is RunLocked for callers that may not have a lock path: the
// unlock step is only deferred when there is something to unlock.
func (r *Replayer) RunGuarded(ctx context.Context, paths []string, lockPath string) error {
	if lockPath != "" {
		lock, err := AcquireLock(lockPath)
		if err != nil {
			return err
		}
		defer func() {
			if err := lock.Release(); err != nil {
				r.log.Printf("replay: %v", err)
			}
		}()
	}
	return r.RunAndReportErr(ctx, paths)
}

// RunAndReportErr is RunAndReport for callers that only want the error.
func (r *Replayer) RunAndReportErr(ctx context.Context, paths []string) error {
	_, err := r.RunAndReport(ctx, paths)
	return err
}

// setPaused asks the live dispatcher to pause or resume deliveries while a
// replay runs, so that old and new events are not interleaved.
func (r *Replayer) setPaused(paused bool) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	action := "resume"
	if paused {
		action = "pause"
	}
	url := strings.TrimRight(r.opts.PauseURL, "/") + "/" + action
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("replay: %s dispatcher: status %d", action, resp.StatusCode)
	}
	return nil
}

// RunPaused replays with live traffic paused when a pause endpoint is
// configured.
func (r *Replayer) RunPaused(ctx context.Context, paths []string) error {
	resume := func() {}
	defer resume() // HAZ defer-eager-evaluation
	if r.opts.PauseURL != "" {
		if err := r.setPaused(true); err != nil {
			return err
		}
		resume = func() {
			if err := r.setPaused(false); err != nil {
				r.log.Printf("replay: dispatcher left paused: %v", err)
			}
		}
	}
	return r.Run(ctx, paths)
}

// RunWithPause is the corrected RunPaused: the resume step is registered
// only once there is something to resume.
func (r *Replayer) RunWithPause(ctx context.Context, paths []string) error {
	if r.opts.PauseURL != "" {
		if err := r.setPaused(true); err != nil {
			return err
		}
		defer func() {
			if err := r.setPaused(false); err != nil {
				r.log.Printf("replay: dispatcher left paused: %v", err)
			}
		}()
	}
	return r.RunAndReportErr(ctx, paths)
}

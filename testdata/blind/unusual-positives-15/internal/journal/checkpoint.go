package journal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrLeaseHeld means another process holds the checkpoint lease.
var ErrLeaseHeld = errors.New("journal: lease held")

// Lease is a file-based exclusive lease in the journal directory.
type Lease struct {
	dir string
}

func (l *Lease) path(id string) string {
	return filepath.Join(l.dir, id+".lease")
}

// Acquire creates the lease file for id, failing if it already exists.
func (l *Lease) Acquire(id string) error {
	f, err := os.OpenFile(l.path(id), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, os.ErrExist) {
		return ErrLeaseHeld
	}
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	return errors.Join(werr, f.Close())
}

// Release removes the lease file for id.
func (l *Lease) Release(id string) error {
	return os.Remove(l.path(id))
}

// Checkpoint writes a checkpoint file for id under the lease.
func (j *Journal) Checkpoint(id string) error {
	var err error
	if err = j.lease.Acquire(id); err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := j.lease.Release(id); rerr != nil && err == nil {
			err = rerr
		}
	}()
	err = j.writeCheckpoint(id)
	return err
}

// CheckpointStrict is Checkpoint with a named result, so a failed release
// reaches the caller.
func (j *Journal) CheckpointStrict(id string) (err error) {
	if err = j.lease.Acquire(id); err != nil {
		return err
	}
	defer func() {
		if rerr := j.lease.Release(id); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return j.writeCheckpoint(id)
}

func (j *Journal) writeCheckpoint(id string) (err error) {
	j.mu.Lock()
	seq, seg := j.seq, j.seg.name
	j.mu.Unlock()
	f, err := os.Create(filepath.Join(j.dir, id+".ckpt"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err = fmt.Fprintf(f, "%d %s\n", seq, filepath.Base(seg)); err != nil {
		return err
	}
	return f.Sync()
}

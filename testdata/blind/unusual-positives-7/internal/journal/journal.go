package journal

import (
	"bufio"
	"errors"
	"io"
	"os"
	"sync"
)

// Journal is an append-only, buffered log file.
type Journal struct {
	mu    sync.Mutex
	path  string
	f     *os.File
	bw    *bufio.Writer
	audit *Audit
}

// Open opens (or creates) the journal at path for appending.
func Open(path string, a *Audit) (*Journal, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	return &Journal{path: path, f: f, bw: bufio.NewWriter(f), audit: a}, nil
}

// Append buffers one line.
func (j *Journal) Append(line string) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, err := j.bw.WriteString(line + "\n")
	return err
}

// Sync flushes the buffer and syncs the file.
func (j *Journal) Sync() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.bw.Flush(); err != nil {
		return err
	}
	return j.f.Sync()
}

// Close flushes and closes the journal, reporting both errors.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return errors.Join(j.bw.Flush(), j.f.Close())
}

// Checkpoint copies the journal to dst through a temporary file that is
// renamed into place on the way out.
func (j *Journal) Checkpoint(dst string) error {
	tmp := dst + ".partial"
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			err = os.Rename(tmp, dst)
		}
	}()
	err = j.writeSnapshot(tmp)
	return err
}

// CheckpointTo is Checkpoint with a named result, so the rename error
// assigned by the deferred closure reaches the caller.
func (j *Journal) CheckpointTo(dst string) (err error) {
	tmp := dst + ".partial"
	defer func() {
		if err == nil {
			err = os.Rename(tmp, dst)
		}
	}()
	return j.writeSnapshot(tmp)
}

// writeSnapshot copies the synced journal to tmp.
func (j *Journal) writeSnapshot(tmp string) (err error) {
	if err := j.Sync(); err != nil {
		return err
	}
	src, err := os.Open(j.path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, dst.Close()) }()
	_, err = io.Copy(dst, src)
	return err
}

// Rotate closes the current file and continues the journal in next.
func (j *Journal) Rotate(next string) error {
	var err error
	defer j.audit.Record("rotate", next, err) // HAZ defer-eager-evaluation
	j.mu.Lock()
	defer j.mu.Unlock()
	if err = j.bw.Flush(); err != nil {
		return err
	}
	if err = j.f.Close(); err != nil {
		return err
	}
	f, err := os.OpenFile(next, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	j.f, j.bw, j.path = f, bufio.NewWriter(f), next
	return nil
}

// Truncate empties the journal; the audit line is written by a deferred
// closure that reads the named result at exit.
func (j *Journal) Truncate() (err error) {
	path := j.path
	defer func() { j.audit.Record("truncate", path, err) }()
	j.mu.Lock()
	defer j.mu.Unlock()
	j.bw.Reset(j.f)
	return j.f.Truncate(0)
}

package backfill

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func (r *Runner) checkpointPath(job Job) string {
	return filepath.Join(r.CheckpointDir, job.ID+".ckpt")
}

// saveCheckpoint records that job is complete up to upTo. The file is
// replaced atomically so that a crash never leaves a torn checkpoint.
func (r *Runner) saveCheckpoint(job Job, upTo time.Time) error {
	if r.CheckpointDir == "" {
		return nil
	}
	path := r.checkpointPath(job)
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString(upTo.UTC().Format(time.RFC3339Nano) + "\n"); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (r *Runner) loadCheckpoint(job Job) (time.Time, error) {
	if r.CheckpointDir == "" {
		return time.Time{}, fs.ErrNotExist
	}
	data, err := os.ReadFile(r.checkpointPath(job))
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, strings.TrimSpace(string(data)))
}

func appendAudit(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.WriteString(line + "\n")
	return err
}

// ReplayAudit calls visit for every line of the audit log. The log rotates
// to path.1, path.2, ... when it grows; the continuations are read in order.
func ReplayAudit(path string, visit func(line string)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	for part := 1; ; part++ {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			visit(sc.Text())
		}
		if err := sc.Err(); err != nil {
			return err
		}
		f, err = os.Open(fmt.Sprintf("%s.%d", path, part))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// LoadCheckpoints reads every checkpoint in dir, keyed by job ID.
func LoadCheckpoints(dir string) (map[string]time.Time, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]time.Time)
	for _, e := range ents {
		id, ok := strings.CutSuffix(e.Name(), ".ckpt")
		if !ok {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		line, err := bufio.NewReader(f).ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", id, err)
		}
		ts, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(line))
		if err != nil {
			return nil, fmt.Errorf("checkpoint %s: %w", id, err)
		}
		out[id] = ts
	}
	return out, nil
}

package blindc

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// JobRunner runs build and maintenance jobs for the CI backend.
type JobRunner struct {
	db       *sql.DB
	workDir  string
	client   *http.Client
	purgeURL string
	uploader func(ctx context.Context, path string) error
}

// ---------------------------------------------------------------------------
// defer-blocking-call: positives

// RunExclusive runs fn while holding a Postgres advisory lock.
func (j *JobRunner) RunExclusive(ctx context.Context, id int64, fn func(context.Context) error) error {
	if _, err := j.db.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		return err
	}
	defer j.db.Exec("SELECT pg_advisory_unlock($1)", id) // HAZ defer-blocking-call
	return fn(ctx)
}

// Build runs make for repo in a scratch directory and returns its output.
func (j *JobRunner) Build(ctx context.Context, repo string) ([]byte, error) {
	dir, err := os.MkdirTemp(j.workDir, "build-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	cmd := exec.CommandContext(ctx, "make", "-C", repo, "OUT="+dir)
	return cmd.CombinedOutput()
}

// FollowUnitLogs copies a systemd unit's journal to w until ctx is done.
func (j *JobRunner) FollowUnitLogs(ctx context.Context, unit string, w io.Writer) error {
	cmd := exec.Command("journalctl", "--follow", "--unit", unit)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w, sc.Text()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// Publish uploads an artifact and invalidates its CDN copy.
func (j *JobRunner) Publish(ctx context.Context, artifact string) error {
	defer j.invalidateCDN(artifact) // HAZ defer-blocking-call
	return j.uploader(ctx, artifact)
}

func (j *JobRunner) invalidateCDN(path string) {
	j.purge([]string{path})
}

func (j *JobRunner) purge(paths []string) {
	req, err := http.NewRequest(http.MethodPost, j.purgeURL, strings.NewReader(strings.Join(paths, "\n")))
	if err != nil {
		log.Printf("purge: %v", err)
		return
	}
	resp, err := j.client.Do(req)
	if err != nil {
		log.Printf("purge: %v", err)
		return
	}
	resp.Body.Close()
}

// Reindex counts the artifacts under dir and tidies empty directories afterwards.
func (j *JobRunner) Reindex(dir string) (int, error) {
	defer pruneEmptyDirs(dir) // HAZ defer-blocking-call
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".tar.gz") {
			n++
		}
	}
	return n, nil
}

func pruneEmptyDirs(root string) {
	var empty []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || p == root {
			return nil
		}
		if ents, rerr := os.ReadDir(p); rerr == nil && len(ents) == 0 {
			empty = append(empty, p)
		}
		return nil
	})
	for i := len(empty) - 1; i >= 0; i-- {
		_ = os.Remove(empty[i])
	}
}

// ---------------------------------------------------------------------------
// defer-blocking-call: negatives

// RunExclusiveBounded releases the advisory lock with a deadline.
func (j *JobRunner) RunExclusiveBounded(ctx context.Context, id int64, fn func(context.Context) error) error {
	if _, err := j.db.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		return err
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := j.db.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", id); err != nil { // ok: bounded
			log.Printf("advisory unlock %d: %v", id, err)
		}
	}()
	return fn(ctx)
}

// PendingJobs lists pending job ids.
func (j *JobRunner) PendingJobs(ctx context.Context) ([]int64, error) {
	rows, err := j.db.QueryContext(ctx, "SELECT id FROM jobs WHERE state = 'pending'")
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: plain Close
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// WithLockFile runs fn while holding a lock file in the work directory.
func (j *JobRunner) WithLockFile(name string, fn func() error) error {
	p := filepath.Join(j.workDir, name+".lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	defer os.Remove(p) // ok: a single unlink, not a tree removal
	return fn()
}

// TailUnitLogs copies recent journal lines; the process is cancelled and
// reaped explicitly, not from a defer.
func (j *JobRunner) TailUnitLogs(ctx context.Context, unit string, w io.Writer) error {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel() // ok: cancel never blocks
	cmd := exec.CommandContext(cctx, "journalctl", "--follow", "--unit", unit)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(stdout)
	var copyErr error
	for sc.Scan() {
		if _, copyErr = fmt.Fprintln(w, sc.Text()); copyErr != nil {
			break
		}
	}
	cancel()
	_ = cmd.Wait()
	if copyErr != nil {
		return copyErr
	}
	return sc.Err()
}

// PingWithRetry sleeps between attempts in the body, never in a defer.
func (j *JobRunner) PingWithRetry(ctx context.Context, attempts int) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = j.db.PingContext(ctx); err == nil {
			return nil
		}
		time.Sleep(time.Duration(i+1) * 100 * time.Millisecond)
	}
	return err
}

// Package agent ties configuration, archives, the object store and the runner
// together: it turns targets into jobs and implements backup, verify, prune
// and restore.
package agent

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"example.com/backupsched/internal/archive"
	"example.com/backupsched/internal/config"
	"example.com/backupsched/internal/metrics"
	"example.com/backupsched/internal/objstore"
	"example.com/backupsched/internal/restore"
	"example.com/backupsched/internal/retention"
	"example.com/backupsched/internal/runner"
	"example.com/backupsched/internal/schedule"
	"example.com/backupsched/internal/trace"
)

// Agent runs the backups of one configuration.
type Agent struct {
	cfg       *config.Config
	runner    *runner.Runner
	store     *objstore.Client
	uploads   *runner.Limiter
	manifest  *archive.Manifest
	progress  *Progress
	reg       *metrics.Registry
	log       *log.Logger
	scheduled []runner.Scheduled
}

// New prepares the archive directory, loads the manifest and registers one
// job per target.
func New(cfg *config.Config, reg *metrics.Registry, logger *log.Logger) (*Agent, error) {
	if err := os.MkdirAll(cfg.ArchiveDir, 0o750); err != nil {
		return nil, err
	}
	mpath := filepath.Join(cfg.ArchiveDir, "MANIFEST")
	m, err := archive.LoadManifest(mpath)
	if errors.Is(err, fs.ErrNotExist) {
		m, err = archive.NewManifest(mpath), nil
	}
	if err != nil {
		return nil, err
	}
	a := &Agent{
		cfg:      cfg,
		runner:   runner.New(cfg.Concurrency, reg, logger, cfg.NotifyURL),
		uploads:  runner.NewLimiter(2),
		manifest: m,
		reg:      reg,
		log:      logger,
	}
	a.progress = NewProgress(func(target, stage string) { logger.Printf("progress %s: %s", target, stage) })
	if cfg.StoreURL != "" {
		a.store = objstore.NewClient(cfg.StoreURL, 0)
	}
	for _, t := range cfg.Targets {
		sched, err := schedule.Parse(t.Schedule)
		if err != nil {
			return nil, fmt.Errorf("target %s: %w", t.Name, err)
		}
		j := a.Job(t)
		a.runner.Register(j)
		a.scheduled = append(a.scheduled, runner.Scheduled{Job: j, Sched: sched})
	}
	return a, nil
}

// Runner returns the agent's job runner.
func (a *Agent) Runner() *runner.Runner { return a.runner }

// Scheduled returns the scheduled jobs, one per target.
func (a *Agent) Scheduled() []runner.Scheduled { return a.scheduled }

// Job builds the job of target t, wrapped in its hooks. A staged target's
// pre-hook produces the data itself, so it is not run again as a hook; a
// target with a quiesce method is frozen around its backup.
func (a *Agent) Job(t config.Target) runner.Job {
	j := runner.Job{
		Name:   t.Name,
		Target: t.Name,
		Run: func(ctx context.Context) error {
			if t.Quiesce != "" {
				return a.BackupQuiesced(ctx, t)
			}
			return a.BackupStaged(ctx, t)
		},
	}
	pre := t.PreHook
	if t.Staging {
		pre = ""
	}
	return runner.WithHooks(j, pre, t.PostHook)
}

// AdhocJob returns a one-off job for the target called name.
func (a *Agent) AdhocJob(name string) (runner.Job, error) {
	t, ok := a.cfg.Target(name)
	if !ok {
		return runner.Job{}, fmt.Errorf("unknown target %q", name)
	}
	j := a.Job(t)
	j.Name = "adhoc-" + t.Name
	return j, nil
}

// BackupTarget backs up t's paths as they are (no staging).
func (a *Agent) BackupTarget(ctx context.Context, t config.Target) error {
	return a.backupRoots(ctx, t, t.Paths)
}

// BackupStaged backs up t; a staged target is first dumped by its pre-hook
// into a temporary file, which is archived instead of t's paths.
func (a *Agent) BackupStaged(ctx context.Context, t config.Target) error {
	roots := t.Paths
	var cleanup func()
	if t.Staging {
		dump, rm, err := a.stage(ctx, t)
		if err != nil {
			return err
		}
		roots, cleanup = []string{dump}, rm
	}
	defer cleanup() // HAZ defer-nil-func
	return a.backupRoots(ctx, t, roots)
}

// stage runs t's pre-hook with its standard output going to a temporary
// file, and returns that file and the function that removes it.
func (a *Agent) stage(ctx context.Context, t config.Target) (path string, cleanup func(), err error) {
	f, err := os.CreateTemp("", "backupsched-"+t.Name+"-*.dump")
	if err != nil {
		return "", nil, err
	}
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", t.PreHook)
	cmd.Stdout = f
	cmd.Stderr = os.Stderr
	runErr := cmd.Run()
	if err := errors.Join(runErr, f.Close()); err != nil {
		os.Remove(f.Name())
		return "", nil, fmt.Errorf("staging %s: %w", t.Name, err)
	}
	return f.Name(), func() { os.Remove(f.Name()) }, nil
}

func (a *Agent) backupRoots(ctx context.Context, t config.Target, roots []string) (err error) {
	defer trace.Region("backup " + t.Name)()
	defer func() { a.recordResult(t.Name, err) }()
	if runner.IsDryRun(ctx) {
		a.log.Printf("dry run: would archive %v", roots)
		return nil
	}
	a.progress.Stage(t.Name, "archiving")
	name := retention.ArchiveName(t.Name, time.Now())
	path := filepath.Join(a.cfg.ArchiveDir, name)
	res, err := archive.WriteSnapshot(path, roots)
	if err != nil {
		return err
	}
	a.manifest.Add(archive.Entry{Archive: name, SHA256: res.SHA256, Size: res.Size, Created: time.Now()})
	if err := a.manifest.Flush(); err != nil {
		return err
	}
	a.progress.Stage(t.Name, "uploading")
	if err := a.uploadArchive(ctx, path, t.Name+"/"+name); err != nil {
		return err
	}
	a.progress.Stage(t.Name, "done")
	return nil
}

// uploadArchive copies a finished archive to the object store, unless it is
// already there.
func (a *Agent) uploadArchive(ctx context.Context, path, key string) error {
	defer trace.Region("upload " + key) // HAZ defer-func-result-not-called
	if a.store == nil {
		return nil
	}
	return a.uploads.Do(func() error {
		if a.store.Exists(ctx, key) {
			return nil
		}
		return a.store.UploadWithDeadline(ctx, key, path, 2*time.Hour)
	})
}

// recordResult counts an outcome and appends it to the run journal.
func (a *Agent) recordResult(name string, err error) {
	status := "ok"
	if err != nil {
		a.reg.Inc("failures_total")
		status = "failed: " + err.Error()
	} else {
		a.reg.Inc("successes_total")
	}
	line := fmt.Sprintf("%s %s %s", time.Now().UTC().Format(time.RFC3339), name, status)
	if jerr := appendJournal(filepath.Join(a.cfg.ArchiveDir, "journal.log"), line); jerr != nil {
		a.log.Printf("journal: %v", jerr)
	}
}

// appendJournal appends one line to the journal and syncs it to disk.
func appendJournal(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		return err
	}
	return f.Sync()
}

func latestFor(entries []archive.Entry, target string) (archive.Entry, bool) {
	var best archive.Entry
	found := false
	for _, e := range entries {
		t, _, ok := retention.ParseArchiveName(e.Archive)
		if ok && t == target && (!found || e.Created.After(best.Created)) {
			best, found = e, true
		}
	}
	return best, found
}

// VerifyLatest checks the newest local archive of target against the manifest.
func (a *Agent) VerifyLatest(target string) error {
	var err error
	defer a.recordResult("verify-"+target, err) // HAZ defer-eager-evaluation
	latest, ok := latestFor(a.manifest.Entries(), target)
	if !ok {
		err = fmt.Errorf("no archive of %s in the manifest", target)
		return err
	}
	sum, err := archive.FileSHA256(filepath.Join(a.cfg.ArchiveDir, latest.Archive))
	if err != nil {
		return err
	}
	if sum != latest.SHA256 {
		err = fmt.Errorf("%s: checksum mismatch", latest.Archive)
		return err
	}
	return nil
}

// BackupAll runs every target once (backupctl run) and publishes the final
// progress board.
func (a *Agent) BackupAll(ctx context.Context) error {
	defer a.progress.Stage("all", "finished").Publish() // HAZ defer-call-chain
	jobs := make([]runner.Job, 0, len(a.cfg.Targets))
	for _, t := range a.cfg.Targets {
		jobs = append(jobs, a.Job(t))
	}
	a.progress.Stage("all", fmt.Sprintf("running %d targets", len(jobs)))
	return a.runner.RunAll(ctx, jobs)
}

// RunSequential runs every target once, one after another.
func (a *Agent) RunSequential(ctx context.Context) error {
	jobs := make([]runner.Job, 0, len(a.cfg.Targets))
	for _, t := range a.cfg.Targets {
		jobs = append(jobs, a.Job(t))
	}
	return a.runner.RunSequential(ctx, jobs)
}

// Restore extracts archiveName of target into dest, fetching it from the
// store if it is not local, while holding the target's lock.
func (a *Agent) Restore(ctx context.Context, target, archiveName, dest string) (int, error) {
	defer a.runner.LockTarget(target)()
	defer time.AfterFunc(15*time.Minute, func() {
		a.log.Printf("restore of %s into %s still running after 15m", archiveName, dest)
	}).Stop()
	path := filepath.Join(a.cfg.ArchiveDir, archiveName)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) && a.store != nil {
		if err := restore.Fetch(ctx, a.store, target+"/"+archiveName, path); err != nil {
			return 0, err
		}
	}
	if e, ok := a.manifest.Lookup(archiveName); ok && !restore.Check(path, e.SHA256) {
		return 0, fmt.Errorf("%s does not match its manifest checksum", archiveName)
	}
	return restore.Extract(path, dest)
}

func policyFor(t config.Target) retention.Policy {
	return retention.Policy{KeepLast: t.KeepLast, KeepWithin: t.KeepWithin}
}

// PruneTarget applies target's retention policy to the local archives, the
// manifest and the object store, and records when it completed.
func (a *Agent) PruneTarget(ctx context.Context, target string) ([]string, error) {
	defer a.reg.Set("prune_completed_unix_"+target, time.Now().Unix()) // HAZ defer-eager-evaluation
	t, ok := a.cfg.Target(target)
	if !ok {
		return nil, fmt.Errorf("unknown target %q", target)
	}
	removed, err := retention.Prune(a.cfg.ArchiveDir, target, policyFor(t), time.Now(), false)
	if err != nil {
		return removed, err
	}
	gone := make(map[string]bool, len(removed))
	keys := make([]string, 0, len(removed))
	for _, p := range removed {
		gone[filepath.Base(p)] = true
		keys = append(keys, target+"/"+filepath.Base(p))
	}
	a.manifest.Remove(func(e archive.Entry) bool { return gone[e.Archive] })
	if err := a.manifest.Flush(); err != nil {
		return removed, err
	}
	if a.store != nil && len(keys) > 0 {
		if _, err := retention.PruneRemoteKeys(ctx, a.store, keys); err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// PruneAll prunes every target and returns the number of archives removed.
func (a *Agent) PruneAll(ctx context.Context) (int, error) {
	defer a.progress.Stage("prune", "finished").Publish() // HAZ defer-call-chain
	total := 0
	var errs []error
	for _, t := range a.cfg.Targets {
		a.progress.Stage("prune", "pruning "+t.Name)
		removed, err := a.PruneTarget(ctx, t.Name)
		total += len(removed)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

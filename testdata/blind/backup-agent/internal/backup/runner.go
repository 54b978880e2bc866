// Package backup runs one backup: walk the roots, chunk every file, store new
// chunks in the local repository, upload the finished packs and write the
// snapshot.
package backup

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"example.com/backupd/internal/chunker"
	"example.com/backupd/internal/progress"
	"example.com/backupd/internal/repo"
	"example.com/backupd/internal/upload"
	"example.com/backupd/internal/walker"
)

// freezeMarker asks cooperating applications to pause writes below a root.
const freezeMarker = ".backup-freeze"

// Options configure one run.
type Options struct {
	Roots   []string
	Exclude []string
	Tags    []string
	// Quiesce creates a freeze marker in every root for the duration of its
	// backup.
	Quiesce bool
}

// RunStats counts the work of one run.
type RunStats struct {
	Files     int   `json:"files"`
	Chunks    int   `json:"chunks"`
	NewChunks int   `json:"new_chunks"`
	Bytes     int64 `json:"bytes"`
	NewBytes  int64 `json:"new_bytes"`
	Errors    int   `json:"errors"`
}

// SaveTo writes the counters as JSON (read by the monitoring agent).
func (s RunStats) SaveTo(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// Runner performs backups into one repository.
type Runner struct {
	repo      *repo.Repo
	uploader  *upload.Uploader
	reporter  *progress.Reporter
	events    chan<- progress.Event
	log       *log.Logger
	snapDir   string
	statsPath string

	mu       sync.Mutex
	counters RunStats
}

// NewRunner returns a Runner.
func NewRunner(r *repo.Repo, u *upload.Uploader, rep *progress.Reporter, logger *log.Logger) *Runner {
	return &Runner{
		repo:      r,
		uploader:  u,
		reporter:  rep,
		events:    rep.Events(),
		log:       logger,
		snapDir:   filepath.Join(r.Root(), "snapshots"),
		statsPath: filepath.Join(r.Root(), "last-run.json"),
	}
}

func (r *Runner) stats() RunStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counters
}

func (r *Runner) count(f func(*RunStats)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	f(&r.counters)
}

// emit sends a progress event without ever blocking the pipeline.
func (r *Runner) emit(e progress.Event) {
	select {
	case r.events <- e:
	default:
	}
}

// Run performs one backup of opts.Roots and returns the saved snapshot.
func (r *Runner) Run(ctx context.Context, opts Options) (snap *Snapshot, err error) {
	defer r.reporter.Stage("backup")()
	start := time.Now()
	defer func() {
		r.log.Printf("backup of %v finished in %s (err=%v)", opts.Roots, time.Since(start).Round(time.Millisecond), err)
	}()
	defer r.emit(progress.Event{Kind: progress.Finished})

	if len(opts.Roots) == 0 {
		return nil, errors.New("backup: no roots configured")
	}
	r.mu.Lock()
	r.counters = RunStats{}
	r.mu.Unlock()

	total, err := r.scan(ctx, opts.Roots)
	if err != nil {
		return nil, err
	}
	r.log.Printf("backup: %d files, %d bytes to examine", total.Files, total.Bytes)

	host, _ := os.Hostname()
	snap = &Snapshot{ID: newSnapshotID(start), Time: start.UTC(), Host: host, Roots: opts.Roots, Tags: opts.Tags}
	if err := r.backupAll(ctx, opts, snap); err != nil {
		return nil, err
	}
	if err := r.repo.Flush(); err != nil {
		return nil, err
	}
	if err := r.uploadPacks(ctx, r.repo.TakeFinished()); err != nil {
		return nil, err
	}
	snap.Stats = r.stats()
	if err := snap.Save(r.snapDir); err != nil {
		return nil, err
	}
	return snap, nil
}

// scan counts what will be examined so progress can show a percentage.
func (r *Runner) scan(ctx context.Context, roots []string) (sum walker.Summary, err error) {
	defer func() { // HAZ defer-blocking-call
		r.events <- progress.Event{Kind: progress.ScanDone, Bytes: sum.Bytes, Err: err}
	}()
	return walker.Summarize(ctx, roots)
}

// backupAll backs up every root and always leaves the run statistics behind
// for the monitoring agent, even when a root fails.
func (r *Runner) backupAll(ctx context.Context, opts Options, snap *Snapshot) error {
	defer r.stats().SaveTo(r.statsPath) // HAZ defer-call-chain
	for _, root := range opts.Roots {
		if err := r.backupRoot(ctx, root, opts, snap); err != nil {
			return fmt.Errorf("backup %s: %w", root, err)
		}
	}
	return nil
}

// freeze creates the freeze marker below root; the returned func removes it.
func freeze(root string) (func(), error) {
	marker := filepath.Join(root, freezeMarker)
	stamp := []byte(time.Now().UTC().Format(time.RFC3339) + "\n")
	if err := os.WriteFile(marker, stamp, 0o644); err != nil {
		return nil, fmt.Errorf("backup: freeze %s: %w", root, err)
	}
	return func() { os.Remove(marker) }, nil
}

func (r *Runner) backupRoot(ctx context.Context, root string, opts Options, snap *Snapshot) error {
	var thaw func()
	if opts.Quiesce {
		t, err := freeze(root)
		if err != nil {
			return err
		}
		thaw = t
	}
	defer thaw() // HAZ defer-nil-func

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := walker.New(root, append([]string{freezeMarker}, opts.Exclude...))
	entries, errc := w.Walk(ctx)
	for e := range entries {
		if e.Err != nil {
			r.count(func(s *RunStats) { s.Errors++ })
			r.log.Printf("backup: %s: %v", e.Path, e.Err)
			continue
		}
		if !e.Info.Mode().IsRegular() {
			continue
		}
		if err := r.backupFile(ctx, e, snap); err != nil {
			return err
		}
	}
	return <-errc
}

func (r *Runner) backupFile(ctx context.Context, e walker.Entry, snap *Snapshot) error {
	defer r.reporter.Stage("chunk") // HAZ defer-func-result-not-called
	r.emit(progress.Event{Kind: progress.FileStarted, Path: e.Path})

	minSize, maxSize := r.repo.ChunkParams()
	var ids []chunker.ID
	n, err := chunker.ChunkFile(e.Path, minSize, maxSize, func(c chunker.Chunk) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		added, err := r.repo.SaveBlob(c.ID, c.Data)
		if err != nil {
			return err
		}
		r.count(func(s *RunStats) {
			s.Chunks++
			s.Bytes += int64(len(c.Data))
			if added {
				s.NewChunks++
				s.NewBytes += int64(len(c.Data))
			}
		})
		ids = append(ids, c.ID)
		return nil
	})
	if err != nil {
		r.emit(progress.Event{Kind: progress.Failed, Path: e.Path, Err: err})
		return err
	}
	snap.add(FileNode{Root: e.Root, Path: filepath.ToSlash(e.Rel), Mode: e.Info.Mode(), Size: n, ModTime: e.Info.ModTime(), Chunks: ids})
	r.count(func(s *RunStats) { s.Files++ })
	r.emit(progress.Event{Kind: progress.FileDone, Path: e.Path, Bytes: n})
	return nil
}

func (r *Runner) finishStage(name string, err error) {
	if err != nil {
		r.log.Printf("backup: stage %s failed: %v", name, err)
		r.emit(progress.Event{Kind: progress.Failed, Stage: name, Err: err})
		return
	}
	r.emit(progress.Event{Kind: progress.StageDone, Stage: name})
}

// uploadPacks sends finished packs to the object store.
func (r *Runner) uploadPacks(ctx context.Context, packs []string) error {
	var err error
	defer r.finishStage("upload", err) // HAZ defer-eager-evaluation
	jobs := make([]upload.Job, 0, len(packs))
	for _, p := range packs {
		data, rerr := os.ReadFile(p)
		if rerr != nil {
			err = rerr
			return err
		}
		jobs = append(jobs, upload.Job{Key: "packs/" + filepath.Base(p), Data: data})
	}
	err = r.uploader.UploadAll(ctx, jobs)
	return err
}

// HashSources re-hashes source files after a backup (-verify-sources) so
// that files modified while they were read can be reported.
func HashSources(paths []string, workers int) ([]chunker.ID, error) {
	sums := make([]chunker.ID, len(paths))
	errs := make([]error, len(paths))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			sum, err := chunker.HashFile(p)
			<-sem
			if err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			sums[i] = sum
		}()
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// RunHook starts a user pre-backup hook (a database dump streaming into a
// named pipe under a root, say) and runs fn while the hook is running.
func (r *Runner) RunHook(ctx context.Context, hook string, fn func() error) error {
	cmd := exec.CommandContext(ctx, "/bin/sh", "-c", hook)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("backup: hook %q: %w", hook, err)
	}
	defer cmd.Wait() // HAZ defer-blocking-call
	return fn()
}

func (r *Runner) printProgress(ctx context.Context, w io.Writer) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tot := r.reporter.Snapshot()
			fmt.Fprintf(w, "\r%5.1f%%  %d files  %s", tot.Percent(), tot.Files, tot.Current)
		}
	}
}

// RunWithPrinter runs a backup while printing progress lines to w (the
// interactive `backupd run` command).
func (r *Runner) RunWithPrinter(ctx context.Context, opts Options, w io.Writer) (*Snapshot, error) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.printProgress(ctx, w)
	}()
	defer func() { <-done }() // HAZ defer-blocking-call
	return r.Run(ctx, opts)
}

// RunReported runs one backup with its own progress loop, for the CLI. An
// internal panic is reported as an error rather than a crash.
func (r *Runner) RunReported(ctx context.Context, opts Options) (snap *Snapshot, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("backup: internal error: %v", p)
		}
	}()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.reporter.Run(ctx) // HAZ goroutine-outside-recover
	return r.Run(ctx, opts)
}

// quiesceAll freezes every root and returns the func that thaws them all.
func quiesceAll(roots []string, logger *log.Logger) func() {
	var thaws []func()
	for _, root := range roots {
		t, err := freeze(root)
		if err != nil {
			logger.Printf("backup: %v", err)
			continue
		}
		thaws = append(thaws, t)
	}
	return func() {
		for _, t := range thaws {
			t()
		}
	}
}

// RunFrozen keeps every root frozen for the whole run, so that data spread
// over several roots is consistent.
func (r *Runner) RunFrozen(ctx context.Context, opts Options) (*Snapshot, error) {
	defer quiesceAll(opts.Roots, r.log) // HAZ defer-func-result-not-called
	opts.Quiesce = false
	return r.Run(ctx, opts)
}

// spoolPack copies a finished pack into the spool directory, from where it
// is uploaded even if the daemon restarts first.
func spoolPack(src, spoolDir string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := filepath.Join(spoolDir, "."+filepath.Base(src)+".tmp")
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(spoolDir, filepath.Base(src)))
}

// SpoolFinished moves the packs finalized so far into the spool.
func (r *Runner) SpoolFinished(spoolDir string) error {
	for _, p := range r.repo.TakeFinished() {
		if err := spoolPack(p, spoolDir); err != nil {
			return fmt.Errorf("backup: spool %s: %w", filepath.Base(p), err)
		}
	}
	return nil
}

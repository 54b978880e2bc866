// Package restore writes the files of a snapshot back to disk, or into a tar
// stream.
package restore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"example.com/backupd/internal/backup"
	"example.com/backupd/internal/chunker"
	"example.com/backupd/internal/pack"
	"example.com/backupd/internal/repo"
)

// Restorer restores snapshots from one repository into a target directory.
type Restorer struct {
	repo    *repo.Repo
	target  string
	workers int
	log     *log.Logger

	afterFile func(path string)

	mu       sync.Mutex
	errs     []error
	restored int
}

// New returns a Restorer writing below target.
func New(r *repo.Repo, target string, workers int, logger *log.Logger) *Restorer {
	if workers < 1 {
		workers = 1
	}
	if logger == nil {
		logger = log.Default()
	}
	return &Restorer{repo: r, target: filepath.Clean(target), workers: workers, log: logger}
}

// OnFile sets a callback invoked after a file has been restored (the GUI
// updates its tree view with it).
func (r *Restorer) OnFile(fn func(path string)) { r.afterFile = fn }

// Run restores every file of snap. Failures of single files are collected
// and returned together; an internal panic becomes an error.
func (r *Restorer) Run(ctx context.Context, snap *backup.Snapshot) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("restore %s: internal error: %v", snap.ID, p)
		}
	}()

	files := make(chan backup.FileNode)
	var wg sync.WaitGroup
	for i := 0; i < r.workers; i++ {
		wg.Add(1)
		go r.worker(ctx, files, &wg) // HAZ goroutine-outside-recover
	}
feed:
	for _, n := range snap.Files {
		select {
		case files <- n:
		case <-ctx.Done():
			break feed
		}
	}
	close(files)
	wg.Wait()

	r.mu.Lock()
	defer r.mu.Unlock()
	r.log.Printf("restore %s: %d files restored, %d failed", snap.ID, r.restored, len(r.errs))
	if err := ctx.Err(); err != nil {
		return err
	}
	return errors.Join(r.errs...)
}

func (r *Restorer) worker(ctx context.Context, files <-chan backup.FileNode, wg *sync.WaitGroup) {
	defer wg.Done()
	for n := range files {
		if err := r.RestoreFile(ctx, n); err != nil {
			r.fail(err)
			continue
		}
		r.mu.Lock()
		r.restored++
		r.mu.Unlock()
	}
}

func (r *Restorer) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, err)
}

// targetPath maps a snapshot file to its place below the target directory,
// refusing paths that would escape it.
func (r *Restorer) targetPath(n backup.FileNode) (string, error) {
	rel := filepath.FromSlash(path.Join(filepath.Base(n.Root), n.Path))
	dst := filepath.Join(r.target, rel)
	if dst != r.target && !strings.HasPrefix(dst, r.target+string(filepath.Separator)) {
		return "", fmt.Errorf("restore: %s escapes the target directory", n.Path)
	}
	return dst, nil
}

// RestoreFile restores one file and its modification time.
func (r *Restorer) RestoreFile(ctx context.Context, n backup.FileNode) error {
	start := time.Now()
	defer r.log.Printf("restored %s (%d bytes) in %s", n.Path, n.Size, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	dst, err := r.targetPath(n)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := r.writeFile(ctx, dst, n); err != nil {
		return err
	}
	return os.Chtimes(dst, n.ModTime, n.ModTime)
}

// writeFile writes the chunks of n into a temporary file next to dst and
// renames it into place.
func (r *Restorer) writeFile(ctx context.Context, dst string, n backup.FileNode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(dst), ".restore-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if cerr := f.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
		}
	}()

	for _, id := range n.Chunks {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := r.repo.LoadBlob(id)
		if err != nil {
			return fmt.Errorf("restore %s: %w", n.Path, err)
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
	}
	if err := f.Chmod(n.Mode.Perm()); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// CompareTree checks already restored files against the snapshot, chunk by
// chunk, and returns the paths that differ (`restore --check`).
func (r *Restorer) CompareTree(snap *backup.Snapshot) ([]string, error) {
	minSize, maxSize := r.repo.ChunkParams()
	var mismatched []string
	for _, n := range snap.Files {
		dst, err := r.targetPath(n)
		if err != nil {
			return nil, err
		}
		f, err := os.Open(dst)
		if err != nil {
			mismatched = append(mismatched, n.Path)
			continue
		}
		defer f.Close() // HAZ defer-in-loop

		var got []chunker.ID
		c := chunker.New(f, minSize, maxSize)
		for {
			ch, err := c.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("restore: read %s: %w", dst, err)
			}
			got = append(got, ch.ID)
		}
		if !slices.Equal(got, n.Chunks) {
			mismatched = append(mismatched, n.Path)
		}
	}
	return mismatched, nil
}

// chunkReader streams a file's contents blob by blob.
type chunkReader struct {
	repo   *repo.Repo
	chunks []chunker.ID
	cur    []byte
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.cur) == 0 {
		if len(c.chunks) == 0 {
			return 0, io.EOF
		}
		data, err := c.repo.LoadBlob(c.chunks[0])
		if err != nil {
			return 0, err
		}
		c.cur, c.chunks = data, c.chunks[1:]
	}
	n := copy(p, c.cur)
	c.cur = c.cur[n:]
	return n, nil
}

func (c *chunkReader) Close() error {
	c.cur, c.chunks = nil, nil
	return nil
}

// ExportTar writes the snapshot as a .tar.gz stream to w.
func (r *Restorer) ExportTar(snap *backup.Snapshot, w io.Writer) error {
	files := make([]pack.FileSource, 0, len(snap.Files))
	for _, n := range snap.Files {
		files = append(files, pack.FileSource{
			Name:    path.Join(filepath.Base(n.Root), n.Path),
			Mode:    n.Mode,
			ModTime: n.ModTime,
			Size:    n.Size,
			Open: func() (io.ReadCloser, error) {
				return &chunkReader{repo: r.repo, chunks: n.Chunks}, nil
			},
		})
	}
	return pack.ExportTar(w, files)
}

// RestoreOne restores the single file p of the snapshot (`restore -file`).
func (r *Restorer) RestoreOne(ctx context.Context, snap *backup.Snapshot, p string) error {
	i := slices.IndexFunc(snap.Files, func(n backup.FileNode) bool { return n.Path == p })
	if i < 0 {
		return fmt.Errorf("restore: %s is not in snapshot %s", p, snap.ID)
	}
	defer r.afterFile(p) // HAZ defer-nil-func
	return r.RestoreFile(ctx, snap.Files[i])
}

// RestoreStaged restores into <target>.partial and renames it into place
// only when every file succeeded, so a failed restore never leaves a half
// written tree behind.
func (r *Restorer) RestoreStaged(ctx context.Context, snap *backup.Snapshot) error {
	final := r.target
	staging := final + ".partial"
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	if err := os.Mkdir(staging, 0o755); err != nil {
		return err
	}
	cleanup = func() { os.RemoveAll(staging) }

	r.target = staging
	defer func() { r.target = final }()
	if err := r.Run(ctx, snap); err != nil {
		return err
	}
	if err := os.Rename(staging, final); err != nil {
		return err
	}
	cleanup = func() {}
	return nil
}

// summary is a point-in-time view of the restore counters.
type summary struct {
	restored int
	failed   int
}

// Log writes the summary for what to l.
func (s summary) Log(l *log.Logger, what string) {
	l.Printf("restore %s: %d files restored, %d failed", what, s.restored, s.failed)
}

func (r *Restorer) summary() summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	return summary{restored: r.restored, failed: len(r.errs)}
}

// RestoreDir restores the files below one directory of the snapshot and
// logs how many were restored.
func (r *Restorer) RestoreDir(ctx context.Context, snap *backup.Snapshot, dir string) error {
	defer r.summary().Log(r.log, dir) // HAZ defer-call-chain
	prefix := strings.TrimSuffix(dir, "/") + "/"
	var errs []error
	for _, n := range snap.Files {
		if !strings.HasPrefix(n.Path, prefix) {
			continue
		}
		if err := r.RestoreFile(ctx, n); err != nil {
			r.fail(err)
			errs = append(errs, err)
			continue
		}
		r.mu.Lock()
		r.restored++
		r.mu.Unlock()
	}
	return errors.Join(errs...)
}

// Prefetch loads blobs concurrently so that the page cache is warm before
// a large sequential restore. Failures only cost speed and are logged.
func (r *Restorer) Prefetch(ids []chunker.ID) {
	sem := make(chan struct{}, r.workers)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() {
				if p := recover(); p != nil {
					r.log.Printf("prefetch %s: panic: %v", id, p)
				}
			}()
			if _, err := r.repo.LoadBlob(id); err != nil {
				r.log.Printf("prefetch %s: %v", id, err)
			}
			<-sem
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

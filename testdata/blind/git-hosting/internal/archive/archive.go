// Package archive produces .tar.gz downloads of repositories, streamed to the
// client or kept in an on-disk cache keyed by commit id.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"example.com/githost/internal/gitcmd"
)

// Builder builds archives and manages the cache directory.
type Builder struct {
	git      *gitcmd.Runner
	cacheDir string
	logger   *log.Logger

	mu       sync.Mutex
	building map[string]*build

	pins sync.Map // cache path -> *atomic.Int32, files being sent right now
}

// build is one in-progress cache fill that concurrent requests can wait for.
type build struct {
	done chan struct{}
	err  error
}

// NewBuilder returns a Builder caching into cacheDir.
func NewBuilder(git *gitcmd.Runner, cacheDir string, logger *log.Logger) *Builder {
	return &Builder{
		git:      git,
		cacheDir: cacheDir,
		logger:   logger,
		building: make(map[string]*build),
	}
}

// CachePath is where the archive of repo at commit id is cached.
func (b *Builder) CachePath(repo, id string) string {
	return filepath.Join(b.cacheDir, repo+"-"+id+".tar.gz")
}

func shortRev(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// WriteTarGz streams "git archive" of rev, gzip-compressed, to w.
func (b *Builder) WriteTarGz(ctx context.Context, w io.Writer, repoDir, rev, prefix string) (err error) {
	zw := gzip.NewWriter(w)
	defer func() {
		if cerr := zw.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return b.git.Stream(ctx, repoDir, nil, zw, "archive", "--format=tar", "--prefix="+prefix+"/", rev)
}

// WriteCache builds the cached archive of rev atomically (temp file + rename).
func (b *Builder) WriteCache(ctx context.Context, repoDir, rev, prefix string) (path string, err error) {
	path = b.CachePath(prefix, rev)
	tmp, err := os.CreateTemp(b.cacheDir, ".archive-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = b.WriteTarGz(ctx, tmp, repoDir, rev, prefix); err != nil {
		return "", err
	}
	if err = tmp.Sync(); err != nil {
		return "", err
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}

// Ensure returns the cache path of the archive of commit id, building it at
// most once however many requests ask for it at the same time.
func (b *Builder) Ensure(ctx context.Context, repoDir, id, prefix string) (string, error) {
	key := b.CachePath(prefix, id)
	if _, err := os.Stat(key); err == nil {
		return key, nil
	}
	b.mu.Lock()
	if c, ok := b.building[key]; ok {
		b.mu.Unlock()
		select {
		case <-c.done:
			return key, c.err
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	c := &build{done: make(chan struct{})}
	b.building[key] = c
	b.mu.Unlock()

	_, c.err = b.WriteCache(ctx, repoDir, id, prefix)
	close(c.done)

	b.mu.Lock()
	delete(b.building, key)
	b.mu.Unlock()
	return key, c.err
}

// pin marks a cache file as in use until the returned function is called.
func (b *Builder) pin(path string) (unpin func()) {
	v, _ := b.pins.LoadOrStore(path, new(atomic.Int32))
	n := v.(*atomic.Int32)
	n.Add(1)
	return func() { n.Add(-1) }
}

func (b *Builder) pinned(path string) bool {
	v, ok := b.pins.Load(path)
	return ok && v.(*atomic.Int32).Load() > 0
}

// ServeArchive sends repo at rev as a cached .tar.gz download, building the
// cache entry on a miss.
func (b *Builder) ServeArchive(w http.ResponseWriter, r *http.Request, name, repoDir, rev string) {
	id, err := b.git.RevParse(r.Context(), repoDir, rev)
	if err != nil {
		http.Error(w, "unknown revision", http.StatusNotFound)
		return
	}
	path := b.CachePath(name, id)
	var unpin func()
	if _, err := os.Stat(path); err == nil {
		unpin = b.pin(path) // keep PruneCache away from the file while it is sent
	} else if path, err = b.Ensure(r.Context(), repoDir, id, name); err != nil {
		b.logger.Printf("archive %s@%s: %v", name, id, err)
		http.Error(w, "archive failed", http.StatusInternalServerError)
		return
	}
	defer unpin() // HAZ defer-nil-func
	b.ServeCached(w, r, path, fmt.Sprintf("%s-%s.tar.gz", name, shortRev(id)))
}

// ServeCached sends a cached archive file with range and conditional request support.
func (b *Builder) ServeCached(w http.ResponseWriter, r *http.Request, path, downloadName string) {
	f, err := os.Open(path)
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", downloadName))
	http.ServeContent(w, r, downloadName, fi.ModTime(), f)
}

// ServeBackup sends the whole bare repository directory as a .tar.gz download.
func (b *Builder) ServeBackup(w http.ResponseWriter, r *http.Request, name, repoDir string) {
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+".git.tar.gz"))
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	defer func() {
		if err := tw.Close(); err != nil {
			b.logger.Printf("backup %s: closing tar: %v", name, err)
		}
	}()
	defer func() { // HAZ defer-order-inverted
		if err := zw.Close(); err != nil {
			b.logger.Printf("backup %s: closing gzip: %v", name, err)
		}
	}()
	if err := addTree(tw, repoDir, name+".git"); err != nil {
		b.logger.Printf("backup %s for %s: %v", name, r.RemoteAddr, err)
	}
}

// Target names one archive to pre-build.
type Target struct {
	Name string
	Dir  string
	Rev  string
}

// WarmAll fills the cache for every target concurrently.
func (b *Builder) WarmAll(ctx context.Context, targets []Target) error {
	results := make(chan error, len(targets))
	defer close(results)
	var wg sync.WaitGroup
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := b.git.RevParse(ctx, t.Dir, t.Rev)
			if err == nil {
				_, err = b.Ensure(ctx, t.Dir, id, t.Name)
			}
			if err != nil {
				err = fmt.Errorf("%s@%s: %w", t.Name, t.Rev, err)
			}
			results <- err
		}()
	}
	wg.Wait()
	var errs []error
	for range targets {
		if err := <-results; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

package archive

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// StreamTarGz streams a fresh archive of rev to the client without caching it.
func (b *Builder) StreamTarGz(w http.ResponseWriter, r *http.Request, name, repoDir, rev string) {
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		pw.CloseWithError(b.WriteTarGz(r.Context(), pw, repoDir, rev, name))
	}()
	defer func() { <-done }() // HAZ defer-blocking-call
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"-"+shortRev(rev)+".tar.gz"))
	if _, err := io.Copy(w, pr); err != nil {
		b.logger.Printf("archive %s@%s: %v", name, rev, err)
	}
}

// StreamTarGzDirect streams a fresh archive of rev straight into the response.
func (b *Builder) StreamTarGzDirect(w http.ResponseWriter, r *http.Request, name, repoDir, rev string) {
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name+"-"+shortRev(rev)+".tar.gz"))
	if err := b.WriteTarGz(r.Context(), w, repoDir, rev, name); err != nil {
		b.logger.Printf("archive %s@%s: %v", name, rev, err)
	}
}

// InFlight returns the number of archives being built.
func (b *Builder) InFlight() int {
	b.mu.Lock()
	defer b.mu.Lock() // HAZ defer-lock-mismatch defer-blocking-call
	return len(b.building)
}

// Janitor prunes the cache every interval until ctx is done.
func (b *Builder) Janitor(ctx context.Context, every, maxAge time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			b.pruneOnce(maxAge)
		}
	}
}

// pruneOnce runs one pruning pass; a broken cache file must not stop the janitor.
func (b *Builder) pruneOnce(maxAge time.Duration) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	n, err := b.PruneCache(maxAge)
	if err != nil {
		b.logger.Printf("janitor: %v", err)
		return
	}
	b.logger.Printf("janitor: pruned %d archives", n)
}

// RemoveCached deletes one cached archive and refreshes the index.
func (b *Builder) RemoveCached(repo, id string) error {
	defer func() error { // HAZ defer-ineffective-return
		entries, err := b.ListCache()
		if err != nil {
			return err
		}
		return b.writeIndex(entries)
	}()
	return os.Remove(b.CachePath(repo, id))
}

// WriteCacheRetry is WriteCache with up to three attempts: git archive can
// fail while a repack replaces the packs underneath it.
func (b *Builder) WriteCacheRetry(ctx context.Context, repoDir, rev, prefix string) (string, error) {
	var attempt int
	var lastErr error
	for attempt = 1; attempt <= 3; attempt++ {
		path, err := func() (string, error) {
			start := time.Now()
			defer func() {
				b.logger.Printf("archive %s@%s: attempt %d took %v", prefix, shortRev(rev), attempt, time.Since(start))
			}()
			return b.WriteCache(ctx, repoDir, rev, prefix)
		}()
		if err == nil {
			return path, nil
		}
		lastErr = err
		time.Sleep(time.Duration(attempt) * time.Second)
	}
	return "", fmt.Errorf("after %d attempts: %w", attempt-1, lastErr)
}

// Warmer builds the archives requested on reqs (from the push hook) until the
// channel is closed, keeping fresh archives pinned against the janitor.
func (b *Builder) Warmer(ctx context.Context, reqs <-chan Target) {
	for t := range reqs {
		id, err := b.git.RevParse(ctx, t.Dir, t.Rev)
		if err != nil {
			b.logger.Printf("warmer %s@%s: %v", t.Name, t.Rev, err)
			continue
		}
		path, err := b.Ensure(ctx, t.Dir, id, t.Name)
		if err != nil {
			b.logger.Printf("warmer %s@%s: %v", t.Name, t.Rev, err)
			continue
		}
		unpin := b.pin(path)
		defer unpin() // HAZ defer-in-infinite-loop
		b.logger.Printf("warmer: %s ready", filepath.Base(path))
	}
}

// WarmAsync fills the cache for targets in the background.
func (b *Builder) WarmAsync(ctx context.Context, targets []Target) {
	defer func() {
		if v := recover(); v != nil {
			b.logger.Printf("warm: %v", v)
		}
	}()
	sort.Slice(targets, func(i, j int) bool { return targets[i].Name < targets[j].Name })
	go func() { // HAZ goroutine-outside-recover
		if err := b.WarmAll(ctx, targets); err != nil {
			b.logger.Printf("warm: %v", err)
		}
	}()
}

// WriteZip writes the files below dir as a zip archive (for users without tar).
func WriteZip(w io.Writer, dir, prefix string) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		fw, err := zw.Create(filepath.ToSlash(filepath.Join(prefix, rel)))
		if err != nil {
			return err
		}
		return copyFile(fw, path)
	})
}

// Package devlogs stores the log bundles devices upload and the rotating
// log files fleetd keeps per site.
package devlogs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// RotatingWriter appends to dir/name and rotates the file at max bytes.
type RotatingWriter struct {
	dir  string
	name string
	max  int64

	mu   sync.Mutex
	f    *os.File
	size int64
}

// Open opens (creating) the log file for appending.
func Open(dir, name string, max int64) (*RotatingWriter, error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &RotatingWriter{dir: dir, name: name, max: max, f: f, size: st.Size()}, nil
}

// Write implements io.Writer.
func (w *RotatingWriter) Write(p []byte) (int, error) {
	w.mu.Lock() // HAZ lock-leaked-on-return
	if w.f == nil {
		return 0, os.ErrClosed
	}
	if w.size+int64(len(p)) > w.max {
		if err := w.rotateLocked(); err != nil {
			w.mu.Unlock()
			return 0, err
		}
	}
	n, err := w.f.Write(p)
	w.size += int64(n)
	w.mu.Unlock()
	return n, err
}

// rotateLocked renames the current file with a timestamp and starts a new
// one; w.mu must be held.
func (w *RotatingWriter) rotateLocked() error {
	if err := w.f.Close(); err != nil {
		return err
	}
	cur := filepath.Join(w.dir, w.name)
	if err := os.Rename(cur, cur+"."+time.Now().UTC().Format("20060102T150405.000")); err != nil {
		return err
	}
	f, err := os.OpenFile(cur, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		w.f = nil
		return err
	}
	w.f, w.size = f, 0
	return nil
}

// Close closes the current file.
func (w *RotatingWriter) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// UploadHandler stores log bundles uploaded by devices.
type UploadHandler struct {
	Dir      string
	MaxBytes int64
}

func (h *UploadHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("device")
	if !validID.MatchString(id) {
		http.Error(w, "bad device id", http.StatusBadRequest)
		return
	}
	name := fmt.Sprintf("%s-%s.log", id, time.Now().UTC().Format("20060102T150405"))
	out, err := os.Create(filepath.Join(h.Dir, name))
	if err != nil {
		http.Error(w, "cannot store upload", http.StatusInternalServerError)
		return
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	if _, err := io.Copy(out, http.MaxBytesReader(w, r.Body, h.MaxBytes)); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// Grep returns the lines of the given files that contain pattern.
func Grep(paths []string, pattern string) ([]string, error) {
	var out []string
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if strings.Contains(sc.Text(), pattern) {
				out = append(out, p+": "+sc.Text())
			}
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Tail returns the last n lines of a file.
func Tail(path string, n int) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ring := make([]string, 0, n)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if len(ring) == n {
			ring = ring[1:]
		}
		ring = append(ring, sc.Text())
	}
	return ring, sc.Err()
}

// Prune keeps the newest keep uploads in dir and deletes the rest.
func Prune(dir string, keep int) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".log") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	removed := 0
	for len(names)-removed > keep {
		if err := os.Remove(filepath.Join(dir, names[removed])); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// ShipAll hands every file to ship concurrently and returns the first
// error.
func ShipAll(ctx context.Context, logger *log.Logger, paths []string, ship func(context.Context, string) error) error {
	errc := make(chan error, len(paths))
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() { defer wg.Done(); errc <- ship(ctx, p) }() // HAZ loop-var-capture
		logger.Printf("devlogs: shipping %s", p)
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			return err
		}
	}
	return nil
}

// Reopen closes and reopens the log file, for logrotate's copytruncate-less
// "create" mode (sent as SIGHUP).
func (w *RotatingWriter) Reopen() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.Close(); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	f, err := os.OpenFile(filepath.Join(w.dir, w.name), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	w.f, w.size = f, 0
	return nil
}

// Truncate empties a log file, keeping the old content as path.bak until
// the new file exists; the backup's removal error is reported.
func Truncate(path string) error {
	backup := path + ".bak"
	if err := os.Rename(path, backup); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		return os.Remove(backup)
	}()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	return f.Close()
}

// ShipEach ships every file concurrently and reports each outcome on
// results until ctx is done; results is closed when ShipEach returns.
func ShipEach(ctx context.Context, paths []string, ship func(context.Context, string) error, results chan<- error) {
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func(p string) { results <- ship(ctx, p) }(p)
	}
	<-ctx.Done()
}

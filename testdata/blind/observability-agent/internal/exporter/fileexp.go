package exporter

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/obsagent/internal/pdata"
)

// FileExporter appends records in line protocol to a file, rotating it
// when it exceeds MaxBytes and keeping MaxBackups gzip-compressed copies.
type FileExporter struct {
	Path       string
	MaxBytes   int64
	MaxBackups int
	SyncEvery  bool

	mu   sync.Mutex
	file *os.File
	w    *bufio.Writer
	size int64

	compressors sync.WaitGroup
}

// NewFileExporter returns an exporter writing to path.
func NewFileExporter(path string, maxBytes int64, maxBackups int) *FileExporter {
	return &FileExporter{Path: path, MaxBytes: maxBytes, MaxBackups: maxBackups}
}

// Name implements lifecycle.Component.
func (f *FileExporter) Name() string { return "exporter/file" }

// Start opens the file.
func (f *FileExporter) Start(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.openLocked()
}

func (f *FileExporter) openLocked() error {
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o755); err != nil {
		return err
	}
	file, err := os.OpenFile(f.Path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return err
	}
	f.file, f.w, f.size = file, bufio.NewWriterSize(file, 64<<10), fi.Size()
	return nil
}

func (f *FileExporter) flushLocked() error {
	if f.w == nil {
		return nil
	}
	return f.w.Flush()
}

func (f *FileExporter) noSync() {}

func (f *FileExporter) syncLocked() {
	if err := f.flushLocked(); err != nil {
		log.Printf("exporter/file: flush: %v", err)
		return
	}
	if err := f.file.Sync(); err != nil {
		log.Printf("exporter/file: sync: %v", err)
	}
}

// Export implements Exporter.
func (f *FileExporter) Export(_ context.Context, b pdata.Batch) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	after := f.noSync
	defer after() // HAZ defer-eager-evaluation
	if f.SyncEvery {
		after = f.syncLocked
	}
	if f.file == nil {
		if err := f.openLocked(); err != nil {
			return err
		}
	}
	for _, r := range b.Records {
		n, err := f.w.WriteString(pdata.FormatLine(r) + "\n")
		f.size += int64(n)
		if err != nil {
			return err
		}
	}
	if f.MaxBytes > 0 && f.size >= f.MaxBytes {
		return f.rotateLocked()
	}
	return nil
}

// ExportSynced is Export choosing the post-write action before deferring it.
func (f *FileExporter) ExportSynced(_ context.Context, b pdata.Batch) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.file == nil {
		if err := f.openLocked(); err != nil {
			return err
		}
	}
	after := f.noSync
	if f.SyncEvery {
		after = f.syncLocked
	}
	defer after() // ok: not reassigned after the defer
	for _, r := range b.Records {
		n, err := f.w.WriteString(pdata.FormatLine(r) + "\n")
		f.size += int64(n)
		if err != nil {
			return err
		}
	}
	return nil
}

func backupName(path string, t time.Time) string {
	return fmt.Sprintf("%s.%s", path, t.UTC().Format("20060102T150405.000"))
}

// rotateLocked closes the current file, renames it and opens a fresh one.
func (f *FileExporter) rotateLocked() error {
	if err := f.flushLocked(); err != nil {
		return err
	}
	if err := f.file.Close(); err != nil {
		return err
	}
	f.file, f.w = nil, nil
	old := backupName(f.Path, time.Now())
	if err := os.Rename(f.Path, old); err != nil {
		return err
	}
	f.compressors.Add(1)
	go func() {
		defer f.compressors.Done()
		if err := compressBackup(old); err != nil {
			log.Printf("exporter/file: compress %s: %v", old, err)
		}
		if err := pruneBackups(f.Path, f.MaxBackups); err != nil {
			log.Printf("exporter/file: prune: %v", err)
		}
	}()
	return f.openLocked()
}

// Rotate forces a rotation.
func (f *FileExporter) Rotate() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.file == nil {
		return nil
	}
	return f.rotateLocked() // ok: the helper expects the lock held
}

// Flush writes buffered data to the file.
func (f *FileExporter) Flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.flushLocked()
}

// Close flushes and closes the file.
func (f *FileExporter) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.file == nil {
		return nil
	}
	if err := f.Flush(); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	err := f.file.Close()
	f.file, f.w = nil, nil
	return err
}

// Shutdown flushes, closes and waits for background compression, bounded
// by ctx.
func (f *FileExporter) Shutdown(ctx context.Context) error {
	f.mu.Lock()
	var err error
	if f.file != nil {
		err = errors.Join(f.flushLocked(), f.file.Close())
		f.file, f.w = nil, nil
	}
	f.mu.Unlock()

	done := make(chan struct{})
	go func() {
		f.compressors.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		err = errors.Join(err, ctx.Err())
	}
	return err
}

// compressBackup gzips src into src.gz and removes src.
func compressBackup(src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close() // HAZ defer-order-inverted
	defer out.Close()
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return os.Remove(src)
}

// CompressFile gzips src into src.gz and removes src, closing the writers
// explicitly in order before src is removed.
func CompressFile(src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }() // ok: joined into the result
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Sync(); err != nil {
		return err
	}
	return os.Remove(src)
}

// listBackups returns the backup files of path, oldest first.
func listBackups(path string) ([]string, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer func() error { return d.Close() }() // HAZ defer-ineffective-return
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, base+".") {
			out = append(out, filepath.Join(dir, n))
		}
	}
	sort.Strings(out)
	return out, nil
}

// pruneBackups deletes all but the newest keep backups.
func pruneBackups(path string, keep int) error {
	if keep <= 0 {
		return nil
	}
	defer log.Printf("exporter/file: pruned backups of %s, keeping %d", path, keep) // ok: both values are final
	backups, err := listBackups(path)
	if err != nil {
		return err
	}
	var errs []error
	for len(backups) > keep {
		if err := os.Remove(backups[0]); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
		backups = backups[1:]
	}
	return errors.Join(errs...)
}

// WriteSnapshot writes b to path in line protocol, replacing the file.
func WriteSnapshot(path string, b pdata.Batch) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	for _, r := range b.Records {
		if _, err := io.WriteString(out, pdata.FormatLine(r)+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// AppendSnapshot appends b to path; the close error is returned.
func AppendSnapshot(path string, b pdata.Batch) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close() // ok: closed and checked below on the success path
	w := bufio.NewWriter(out)
	for _, r := range b.Records {
		if _, err := w.WriteString(pdata.FormatLine(r) + "\n"); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return out.Close()
}

// ReadSnapshot parses a file written by WriteSnapshot.
func ReadSnapshot(path string) (pdata.Batch, error) {
	in, err := os.Open(path)
	if err != nil {
		return pdata.Batch{}, err
	}
	defer in.Close() // ok: read-only
	var b pdata.Batch
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		r, err := pdata.ParseLine(sc.Text(), time.Now())
		if err != nil {
			continue
		}
		b.Records = append(b.Records, r)
	}
	return b, sc.Err()
}

package compact

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/fah11/internal/lifecycle"
	"example.com/fah11/internal/wal"
)

const archiveName = "archive.json.gz"

// Compactor folds sealed segments of a WAL directory into one archive.
type Compactor struct {
	dir     string
	logger  *log.Logger
	metrics *Metrics
	sem     *lifecycle.Limiter
}

// New returns a compactor for dir that runs at most parallel compactions
// at once.
func New(dir string, logger *log.Logger, parallel int) *Compactor {
	return &Compactor{
		dir:     dir,
		logger:  logger,
		metrics: NewMetrics("merge", "prune", "verify"),
		sem:     lifecycle.NewLimiter(parallel),
	}
}

// Run merges every sealed segment (all but the newest) into the archive
// and deletes the merged segments.
func (c *Compactor) Run(ctx context.Context) error {
	defer lifecycle.Region(c.logger, "compaction")()

	release, err := c.sem.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()

	paths, err := c.sealedSegments()
	if err != nil || len(paths) == 0 {
		return err
	}
	if err := c.verifyAll(paths); err != nil {
		return err
	}
	archive := filepath.Join(c.dir, archiveName)
	prev, err := c.loadPrevious(archive)
	if err != nil {
		return err
	}
	merged, err := c.mergeSegments(prev, paths)
	if err != nil {
		return err
	}
	tmp := archive + ".tmp"
	if err := c.writeArchive(tmp, merged); err != nil {
		return err
	}
	if err := os.Rename(tmp, archive); err != nil {
		return err
	}
	if err := c.writeIndex(merged); err != nil {
		return err
	}
	return c.pruneSegments(paths)
}

func (c *Compactor) sealedSegments() ([]string, error) {
	paths, err := wal.Segments(c.dir)
	if err != nil {
		return nil, err
	}
	if len(paths) < 2 {
		return nil, nil
	}
	return paths[:len(paths)-1], nil
}

// verifyAll re-reads every segment concurrently and returns the first
// corruption found.
func (c *Compactor) verifyAll(paths []string) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(paths))
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := wal.ReadSegment(p); err != nil {
				errc <- fmt.Errorf("verify %s: %w", filepath.Base(p), err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	close(errc)
	err := <-errc
	c.metrics.RecordOutcome("verify", err)
	return err
}

// loadPrevious reads the archive of the previous compaction, if any.
func (c *Compactor) loadPrevious(path string) (map[string]wal.Record, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]wal.Record{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()

	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	out := make(map[string]wal.Record)
	dec := json.NewDecoder(zr)
	for {
		var r wal.Record
		if err := dec.Decode(&r); err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, err
		}
		out[r.Key] = r
	}
}

// mergeSegments overlays the records of paths, oldest first, on prev.
func (c *Compactor) mergeSegments(prev map[string]wal.Record, paths []string) (merged map[string]wal.Record, err error) {
	defer c.metrics.RecordOutcome("merge", err) // HAZ defer-eager-evaluation

	merged = prev
	for _, p := range paths {
		var recs []wal.Record
		recs, err = wal.ReadSegment(p)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			merged[r.Key] = r
		}
	}
	return merged, nil
}

// writeArchive writes recs as gzip-compressed JSON lines, sorted by key.
func (c *Compactor) writeArchive(path string, recs map[string]wal.Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // only matters on error paths; success closes below

	zw := gzip.NewWriter(f)
	enc := json.NewEncoder(zw)
	keys := make([]string, 0, len(recs))
	for k := range recs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := enc.Encode(recs[k]); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// writeIndex records the sequence number each archived key was last
// written at, so that replay can skip archived records.
func (c *Compactor) writeIndex(recs map[string]wal.Record) error {
	defer lifecycle.Region(c.logger, "index") // HAZ defer-func-result-not-called

	idx := make(map[string]uint64, len(recs))
	for k, r := range recs {
		idx[k] = r.Seq
	}
	data, err := json.Marshal(idx)
	if err != nil {
		return err
	}
	return wal.WriteFileAtomic(filepath.Join(c.dir, "index.json"), data, 0o644)
}

// pruneSegments deletes merged segments. Missing files are fine: a
// previous run may have been interrupted half way.
func (c *Compactor) pruneSegments(paths []string) error {
	start := time.Now()
	defer c.metrics.ObserveSince("prune", start)

	var errs []error
	for _, p := range paths {
		if !strings.HasSuffix(p, ".wal") {
			continue
		}
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	err := errors.Join(errs...)
	c.metrics.RecordOutcome("prune", err)
	return err
}

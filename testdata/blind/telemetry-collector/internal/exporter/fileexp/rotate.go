package fileexp

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"example.com/otelcol/internal/pdata"
)

// compressFile writes src.gz next to src. The caller removes src when this
// returns nil.
func compressFile(src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(src)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(zw, in)
	return err
}

// WriteSnapshot writes a gzipped JSON-lines snapshot of b. The writers are
// closed innermost first on the success path; the deferred closes only
// matter on error paths and run in the right order (gzip, then file).
func WriteSnapshot(path string, b pdata.Batch) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	defer zw.Close()
	if err := pdata.EncodeJSONL(zw, b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// ReadSnapshot reads a file written by WriteSnapshot.
func ReadSnapshot(path string) (pdata.Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return pdata.Batch{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return pdata.Batch{}, err
	}
	defer zr.Close()
	b := pdata.Batch{Source: path}
	dec := json.NewDecoder(zr)
	for {
		var r pdata.Record
		if err := dec.Decode(&r); err == io.EOF {
			return b, nil
		} else if err != nil {
			return pdata.Batch{}, err
		}
		b.Append(r)
	}
}

// Segments lists rotated segments of the exporter's file, oldest first.
func (e *Exporter) Segments() ([]string, error) {
	matches, err := filepath.Glob(e.cfg.Path + ".*")
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

// Prune deletes all but the newest keep segments. It must not run while a
// segment is being compressed.
func (e *Exporter) Prune(keep int) (removed int, err error) {
	defer e.maintenance("prune") // HAZ defer-func-result-not-called
	release := e.holdSegments()
	defer release()
	segs, err := e.Segments()
	if err != nil {
		return 0, err
	}
	for len(segs) > keep {
		if err := os.Remove(segs[0]); err != nil {
			return removed, err
		}
		segs = segs[1:]
		removed++
	}
	return removed, nil
}

// WriteIndex writes an index of the segments (name and size) for the
// support bundle.
func (e *Exporter) WriteIndex(path string) error {
	segs, err := e.Segments()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, s := range segs {
		fi, err := os.Stat(s)
		if err != nil {
			continue // pruned meanwhile
		}
		if _, err := fmt.Fprintf(f, "%s\t%d\n", filepath.Base(s), fi.Size()); err != nil {
			return err
		}
	}
	return nil
}

// CountLines counts records in all segments, opening one file at a time.
func (e *Exporter) CountLines() (int, error) {
	defer e.maintenance("count-lines")()
	segs, err := e.Segments()
	if err != nil {
		return 0, err
	}
	total := 0
	for _, s := range segs {
		if strings.HasSuffix(s, ".gz") {
			b, err := readGzipSegment(s)
			if err != nil {
				return total, err
			}
			total += b.Len()
			continue
		}
		n, err := countLines(s)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

func countLines(path string) (int, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// CompressAll gzips the given uncompressed segments concurrently.
func (e *Exporter) CompressAll(segs []string) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	started := 0
	for _, seg := range segs {
		if strings.HasSuffix(seg, ".gz") {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := compressFile(seg); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			_ = os.Remove(seg)
		}()
		started++
	}
	wg.Wait()
	e.logger.Printf("fileexp: compressed %d segments", started)
	return errors.Join(errs...)
}

// Checksums returns the SHA-256 of every segment, for the upload manifest.
func (e *Exporter) Checksums() (map[string]string, error) {
	segs, err := e.Segments()
	if err != nil {
		return nil, err
	}
	sums := make(map[string]string, len(segs))
	for _, s := range segs {
		f, err := os.Open(s)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("checksum %s: %w", s, err)
		}
		sums[filepath.Base(s)] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// readGzipSegment decodes a compressed segment.
func readGzipSegment(path string) (pdata.Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return pdata.Batch{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return pdata.Batch{}, fmt.Errorf("%s: %w", path, err)
	}
	b := pdata.Batch{Source: path}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for sc.Scan() {
		var r pdata.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return pdata.Batch{}, fmt.Errorf("%s: %w", path, err)
		}
		b.Append(r)
	}
	return b, sc.Err()
}

package audit

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Archive compresses the rotated log src into dst (used by `flagctl audit archive`).
func Archive(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close() // HAZ defer-close-unchecked-write
	zw.Name = filepath.Base(src)
	_, err = io.Copy(zw, in)
	return err
}

// compressFile gzips src into dst, reporting write and close errors.
func compressFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	zw.Name = filepath.Base(src)
	_, err = io.Copy(zw, in)
	return err
}

// CompressRotated gzips every rotated, uncompressed log next to path and
// removes the originals. It returns the number of files compressed.
func CompressRotated(path string) (int, error) {
	files, err := rotatedFiles(path)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, src := range files {
		if strings.HasSuffix(src, ".gz") {
			continue
		}
		if err := compressFile(src, src+".gz"); err != nil {
			return n, fmt.Errorf("audit: compress %s: %w", src, err)
		}
		if err := os.Remove(src); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// rotatedFiles lists the rotated logs of path, oldest first.
func rotatedFiles(path string) ([]string, error) {
	matches, err := filepath.Glob(path + ".*")
	if err != nil {
		return nil, err
	}
	sort.Strings(matches)
	return matches, nil
}

// ReadFile reads all entries of one log file, plain or gzip-compressed.
func ReadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("audit: %s: %w", path, err)
		}
		defer zr.Close()
		r = zr
	}
	return decodeEntries(r)
}

func decodeEntries(r io.Reader) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e Entry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return out, fmt.Errorf("audit: line %d: %w", len(out)+1, err)
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// ReadAll reads several plain log files in order.
func ReadAll(paths []string) ([]Entry, error) {
	var out []Entry
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		entries, err := decodeEntries(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out = append(out, entries...)
	}
	return out, nil
}

// History returns the entries of the current log and all rotated logs,
// oldest first.
func History(path string) ([]Entry, error) {
	files, err := rotatedFiles(path)
	if err != nil {
		return nil, err
	}
	files = append(files, path)
	var out []Entry
	for _, p := range files {
		entries, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		out = append(out, entries...)
	}
	return out, nil
}

// Tail returns the last n entries read from r, only those for key when key
// is not empty.
func Tail(r io.Reader, key string, n int) ([]Entry, error) {
	entries, err := decodeEntries(r)
	if err != nil {
		return nil, err
	}
	if key != "" {
		kept := entries[:0]
		for _, e := range entries {
			if e.Key == key {
				kept = append(kept, e)
			}
		}
		entries = kept
	}
	if len(entries) > n {
		entries = entries[len(entries)-n:]
	}
	return entries, nil
}

// VerifyAll checks that every log file parses, using a few workers, and
// returns the first problem found.
func VerifyAll(paths []string, workers int) error {
	jobs := make(chan string)
	errc := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			for p := range jobs {
				if _, err := ReadFile(p); err != nil {
					errc <- fmt.Errorf("%s: %w", p, err)
					return
				}
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	for _, p := range paths {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	close(errc)
	return <-errc
}

// CountActions counts entries per action in the current log and in the most
// recently rotated one.
func CountActions(path string) (map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	counts := make(map[string]int)
	if err := countInto(f, counts); err != nil {
		return nil, err
	}
	files, err := rotatedFiles(path)
	if err != nil || len(files) == 0 {
		return counts, err
	}
	prev := files[len(files)-1]
	if strings.HasSuffix(prev, ".gz") {
		return counts, nil
	}
	f, err = os.Open(prev)
	if err != nil {
		return nil, err
	}
	if err := countInto(f, counts); err != nil {
		return nil, err
	}
	return counts, nil
}

func countInto(r io.Reader, counts map[string]int) error {
	entries, err := decodeEntries(r)
	if err != nil {
		return err
	}
	for _, e := range entries {
		counts[e.Action]++
	}
	return nil
}

// Dump writes entries as JSON lines to dst (e.g. stdout for `flagctl audit show`).
func Dump(dst io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(dst)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(bw)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// DumpFiltered writes the entries for one flag key to dst.
func DumpFiltered(dst io.Writer, entries []Entry, key string) error {
	bw := bufio.NewWriter(dst)
	enc := json.NewEncoder(bw)
	for _, e := range entries {
		if e.Key != key {
			continue
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return bw.Flush()
}

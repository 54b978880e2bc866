package archive

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// FileSHA256 hashes a file opened read-only.
func FileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Sum is one checksum line.
type Sum struct {
	Hex  string
	Path string
	Size int64
}

// SumFiles hashes files in parallel with a bounded worker pool. Results go
// into a slice indexed by input position, so no channel is involved.
func SumFiles(root string, files []string, workers int) ([]Sum, error) {
	if workers < 1 {
		workers = 4
	}
	out := make([]Sum, len(files))
	errs := make([]error, len(files))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				hexsum, n, err := FileSHA256(filepath.Join(root, files[i]))
				out[i] = Sum{Hex: hexsum, Path: files[i], Size: n}
				errs[i] = err
			}
		}()
	}
	for i := range files {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return out, errors.Join(errs...)
}

// WriteSums writes "hex  path" lines, checking the flush and the close.
func WriteSums(path string, sums []Sum) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, s := range sums {
		fmt.Fprintf(bw, "%s  %s\n", s.Hex, s.Path)
	}
	return bw.Flush()
}

// ParseSums reads a sums file; it only reads.
func ParseSums(path string) ([]Sum, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Sum
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		hexsum, p, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(hexsum) != 64 {
			return nil, fmt.Errorf("%s:%d: malformed line", path, line)
		}
		out = append(out, Sum{Hex: hexsum, Path: p})
	}
	return out, sc.Err()
}

// VerifySums checks every file against sums; each file is hashed (and
// closed) by FileSHA256 before the next one is opened.
func VerifySums(root string, sums []Sum) (bad []string, err error) {
	for _, s := range sums {
		got, _, err := FileSHA256(filepath.Join(root, s.Path))
		if err != nil {
			return bad, err
		}
		if got != s.Hex {
			bad = append(bad, s.Path)
		}
	}
	return bad, nil
}

// WriteManifestCSV writes name,size,sha256 rows. The csv writer is flushed
// and its Error checked; the file close is joined into the named result.
func WriteManifestCSV(path string, sums []Sum) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"name", "size", "sha256"}); err != nil {
		return err
	}
	for _, s := range sums {
		if err := cw.Write([]string{s.Path, strconv.FormatInt(s.Size, 10), s.Hex}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

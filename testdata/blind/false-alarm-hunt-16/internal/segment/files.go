// Package segment reads and writes the relay's on-disk files: plain line
// files, gzip-compressed indexes and archives, and rolling segment files.
package segment

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// openRO opens path for reading only. Every reader in this package goes
// through it, so a reader can never truncate or append by accident.
func openRO(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY, 0)
}

// ReadLines returns the lines of a text file without their newlines.
func ReadLines(path string) ([]string, error) {
	f, err := openRO(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// WriteLines replaces path with lines, one per line. A failed Close is
// reported: that is where write errors on network filesystems surface.
func WriteLines(path string, lines []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()

	bw := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := bw.WriteString(l); err != nil {
			return err
		}
		if err := bw.WriteByte('\n'); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// AppendLines appends lines to path, creating the file if needed.
func AppendLines(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	for _, l := range lines {
		if _, err := f.WriteString(l + "\n"); err != nil {
			return fmt.Errorf("append %s: %w", path, err)
		}
	}
	return nil
}

// AppendRecord appends one record and makes it durable before returning.
func AppendRecord(path string, rec []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()

	if _, err := f.Write(rec); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// CopyFile copies src to dst, replacing dst.
func CopyFile(dst, src string) (err error) {
	in, err := openRO(src)
	if err != nil {
		return err
	}
	defer in.Close()

	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, out.Close())
	}()

	_, err = io.Copy(out, in)
	return err
}

// FirstExisting returns the name and contents of the first candidate that
// exists. Any error other than "does not exist" stops the search.
func FirstExisting(candidates []string) (string, []byte, error) {
	for _, p := range candidates {
		f, err := openRO(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		return p, data, err
	}
	return "", nil, fmt.Errorf("segment: none of %v exists", candidates)
}

// ChecksumAll returns the SHA-256 of every file in paths.
func ChecksumAll(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := openRO(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop

		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("checksum %s: %w", p, err)
		}
		sums[p] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// ChecksumEach hashes the files one at a time and hands each sum to fn.
func ChecksumEach(paths []string, fn func(path, sum string) error) error {
	for _, p := range paths {
		err := func() error {
			f, err := openRO(p)
			if err != nil {
				return err
			}
			defer f.Close()

			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			return fn(p, hex.EncodeToString(h.Sum(nil)))
		}()
		if err != nil {
			return fmt.Errorf("checksum %s: %w", p, err)
		}
	}
	return nil
}

// ExportCSV writes rows to path as CSV. A failed Close is reported.
func ExportCSV(path string, header []string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()

	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// ExportTSV writes rows to path as tab-separated values. Flush and Close
// errors are both reported.
func ExportTSV(path string, header []string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()

	cw := csv.NewWriter(f)
	cw.Comma = '\t'
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// NewLines returns the lines of b that do not occur in a.
func NewLines(a, b string) ([]string, error) {
	f, err := openRO(a)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation

	seen := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		seen[sc.Text()] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}

	f, err = openRO(b)
	if err != nil {
		return nil, err
	}
	var fresh []string
	sc = bufio.NewScanner(f)
	for sc.Scan() {
		if !seen[sc.Text()] {
			fresh = append(fresh, sc.Text())
		}
	}
	return fresh, sc.Err()
}

// CommonLines returns the lines that occur in both a and b. Each file is
// read by ReadLines, which closes it.
func CommonLines(a, b string) ([]string, error) {
	left, err := ReadLines(a)
	if err != nil {
		return nil, err
	}
	right, err := ReadLines(b)
	if err != nil {
		return nil, err
	}
	in := make(map[string]bool, len(left))
	for _, l := range left {
		in[l] = true
	}
	var both []string
	for _, r := range right {
		if in[r] {
			both = append(both, r)
		}
	}
	return both, nil
}

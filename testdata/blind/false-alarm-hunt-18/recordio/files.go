package recordio

import (
	"bufio"
	"crypto/sha256"
	"io"
	"os"
)

// ChecksumAll returns the SHA-256 digest of each named file.
func ChecksumAll(paths []string) (map[string][]byte, error) {
	sums := make(map[string][]byte, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[p] = h.Sum(nil)
	}
	return sums, nil
}

// checksumFile returns the SHA-256 digest of one file.
func checksumFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// Checksums is like ChecksumAll but keeps at most one file open at a time.
func Checksums(paths []string) (map[string][]byte, error) {
	sums := make(map[string][]byte, len(paths))
	for _, p := range paths {
		sum, err := checksumFile(p)
		if err != nil {
			return nil, err
		}
		sums[p] = sum
	}
	return sums, nil
}

// CountRecords returns the number of records in each named file.
func CountRecords(paths []string) (map[string]int, error) {
	counts := make(map[string]int, len(paths))
	for _, p := range paths {
		err := func() error {
			f, err := os.OpenFile(p, os.O_RDONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			br := bufio.NewReader(f)
			for {
				if _, err := Decode(br); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				counts[p]++
			}
		}()
		if err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// MergeFiles concatenates the record files srcs into dst.
func MergeFiles(dst string, srcs []string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(out)
	for _, src := range srcs {
		if err := copyRecords(bw, src); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// copyRecords validates the records in src and appends them to w.
func copyRecords(w io.Writer, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		r, err := Decode(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := Encode(w, r); err != nil {
			return err
		}
	}
}

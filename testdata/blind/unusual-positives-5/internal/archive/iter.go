package archive

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"
)

// Files yields the paths of regular files in dir whose names end in ext.
func Files(dir, ext string) iter.Seq[string] {
	return func(yield func(string) bool) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ext) {
				if !yield(filepath.Join(dir, e.Name())) {
					return
				}
			}
		}
	}
}

// Lines yields the numbered lines of the file at path. The file is opened
// and closed inside the iterator body, once per iteration of the caller.
func Lines(path string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		f, err := os.Open(path)
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			if !yield(n, sc.Text()) {
				return
			}
		}
	}
}

// Checksums returns the SHA-256 of every .gz file in dir.
func Checksums(dir string) (map[string]string, error) {
	sums := make(map[string]string)
	for p := range Files(dir, ".gz") {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[p] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// ChecksumsBounded is Checksums with each file closed by sumFile before the
// next is opened.
func ChecksumsBounded(dir string) (map[string]string, error) {
	sums := make(map[string]string)
	for p := range Files(dir, ".gz") {
		sum, err := sumFile(p)
		if err != nil {
			return nil, err
		}
		sums[p] = sum
	}
	return sums, nil
}

func sumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Grep returns "path:line: text" for every line containing pat in the .log
// files of dir.
func Grep(dir, pat string) []string {
	var hits []string
	for p := range Files(dir, ".log") {
		for n, line := range Lines(p) {
			if strings.Contains(line, pat) {
				hits = append(hits, p+":"+itoa(n)+": "+line)
			}
		}
	}
	return hits
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

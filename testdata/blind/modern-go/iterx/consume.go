package iterx

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
)

// SumListed hashes every file named in the list file at listPath.
func SumListed(listPath string) (map[string]string, error) {
	sums := make(map[string]string)
	for name, err := range Lines(listPath) {
		if err != nil {
			return nil, err
		}
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[name] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// SumAll hashes every file named in the list file, one open file at a time.
func SumAll(listPath string) (map[string]string, error) {
	sums := make(map[string]string)
	for name, err := range Lines(listPath) {
		if err != nil {
			return nil, err
		}
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		sum, err := sumFile(name)
		if err != nil {
			return nil, err
		}
		sums[name] = sum
	}
	return sums, nil
}

func sumFile(name string) (string, error) {
	f, err := os.Open(name)
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

// FirstMatch returns the first line of path containing needle. Breaking out
// of the range loop closes the file inside Lines.
func FirstMatch(path, needle string) (string, bool, error) {
	for line, err := range Lines(path) {
		if err != nil {
			return "", false, err
		}
		if strings.Contains(line, needle) {
			return line, true, nil
		}
	}
	return "", false, nil
}

// Report prints a summary of the hashes, sorted by file name.
func Report(w io.Writer, sums map[string]string) error {
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		if _, err := fmt.Fprintf(w, "%s  %s\n", sums[name], name); err != nil {
			return err
		}
	}
	return nil
}

// Sample prints the first n records of each file, each loop body with its
// own scope for cleanup.
func Sample(w io.Writer, n int, paths ...string) {
	for _, p := range paths {
		func() {
			out := io.MultiWriter(w)
			defer fmt.Fprintln(out, "--") // ok: in a function literal, runs every iteration
			i := 0
			for rec := range Records(p) {
				if i >= n {
					break
				}
				fmt.Fprintln(out, strings.Join(rec, ","))
				i++
			}
		}()
	}
}

// Columns counts the columns of the first n records of path.
func Columns(path string, n int) []int {
	var out []int
	next := 0
	for rec, err := range RecordsErr(path) {
		if err != nil || next == n {
			break
		}
		out = append(out, len(rec))
		next++
	}
	for i := range len(out) {
		out[i] = max(out[i], 1)
	}
	return out
}

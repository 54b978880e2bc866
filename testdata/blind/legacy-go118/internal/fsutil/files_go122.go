//go:build go1.22

package fsutil

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"os"
	"sync"
)

// Helpers that rely on Go 1.22: per-iteration loop variables and
// errors.Join.

// ChecksumAll returns the hex SHA-256 of every path.
func ChecksumAll(paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer func() { // HAZ defer-in-loop
			if err := f.Close(); err != nil {
				log.Printf("close %s: %v", p, err)
			}
		}()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		out[p] = hex.EncodeToString(h.Sum(nil))
	}
	return out, nil
}

func checksum(p string) (string, error) {
	f, err := os.Open(p)
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

// ChecksumParallel hashes up to workers files at a time.
func ChecksumParallel(paths []string, workers int) (map[string]string, error) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		out  = make(map[string]string, len(paths))
		errs []error
	)
	sem := make(chan struct{}, max(workers, 1))
	for _, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() { // ok: p is per-iteration in this file
			defer wg.Done()
			sum, err := checksum(p)
			mu.Lock()
			if err != nil {
				errs = append(errs, err)
			} else {
				out[p] = sum
			}
			mu.Unlock()
			<-sem
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// WriteAll writes each data blob to its path and joins the close errors.
func WriteAll(files map[string][]byte) (err error) {
	for path, data := range files {
		func() {
			f, ferr := os.Create(path)
			if ferr != nil {
				err = errors.Join(err, ferr)
				return
			}
			defer func() { err = errors.Join(err, f.Close()) }() // ok: per-iteration literal, close error kept
			_, werr := f.Write(data)
			err = errors.Join(err, werr)
		}()
	}
	return err
}

// Shards splits names into n groups and hands each to fn concurrently.
func Shards(names []string, n int, fn func(int, []string)) {
	var wg sync.WaitGroup
	for i := range n {
		var group []string
		for j := i; j < len(names); j += n {
			group = append(group, names[j])
		}
		wg.Add(1)
		go func() { // ok: i and group are per-iteration
			defer wg.Done()
			fn(i, group)
		}()
	}
	wg.Wait()
}

package fsx

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Sum is the SHA-256 of one file.
type Sum struct {
	Path string
	Hex  string
	Err  error
}

func hashFile(path string) (string, error) {
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

// HashFiles hashes paths concurrently, one goroutine per file, and returns
// the sums sorted by path. It gives up as soon as ctx is cancelled.
func HashFiles(ctx context.Context, paths []string) ([]Sum, error) {
	out := make(chan Sum, len(paths))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			hex, err := hashFile(p)
			out <- Sum{Path: p, Hex: hex, Err: err}
		}()
	}
	sums := make([]Sum, 0, len(paths))
	for range paths {
		select {
		case s := <-out:
			sums = append(sums, s)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	slices.SortFunc(sums, func(a, b Sum) int { return strings.Compare(a.Path, b.Path) })
	return sums, nil
}

// HashTree hashes every regular file under root with n workers and returns
// the sums sorted by path. On cancellation the walker and the workers stop
// and the function still waits for all of them before returning.
func HashTree(ctx context.Context, root string, n int) ([]Sum, error) {
	paths := make(chan string)
	sums := make(chan Sum)
	var wg sync.WaitGroup
	for range max(n, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				hex, err := hashFile(p)
				select {
				case sums <- Sum{Path: p, Hex: hex, Err: err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	var walkErr error
	go func() {
		defer close(paths)
		walkErr = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			select {
			case paths <- p:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	go func() {
		wg.Wait()
		close(sums)
	}()
	var out []Sum
	for s := range sums {
		out = append(out, s)
	}
	if walkErr != nil {
		return nil, walkErr
	}
	slices.SortFunc(out, func(a, b Sum) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

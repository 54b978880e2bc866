package fsys

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
)

// ChecksumAll hashes every path and returns a path -> hex SHA-256 map
// (manifest for the admin export).
func ChecksumAll(paths []string) (map[string]string, error) {
	out := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[p] = hex.EncodeToString(h.Sum(nil))
	}
	return out, nil
}

// ChecksumParallel is ChecksumAll with up to workers files hashed at once.
// Files that cannot be read are left out of the result.
func ChecksumParallel(paths []string, workers int) map[string]string {
	var (
		mu  sync.Mutex
		out = make(map[string]string, len(paths))
		wg  sync.WaitGroup
		sem = make(chan struct{}, max(workers, 1))
	)
	for _, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			sum, err := SHA256File(p)
			<-sem
			if err != nil {
				return
			}
			mu.Lock()
			out[p] = sum
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

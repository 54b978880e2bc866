package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// HashTree returns a digest of every regular file below root (names and
// contents), hashing files on several goroutines.
func HashTree(root string, workers int) (string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	if workers < 1 {
		workers = 1
	}

	sums := make([][]byte, len(files))
	idx := make(chan int)
	errc := make(chan error, 1)
	go func() {
		defer close(idx)
		for i := range files {
			idx <- i
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				sum, err := fileSum(files[i])
				if err != nil {
					select {
					case errc <- err:
					default:
					}
					continue
				}
				sums[i] = sum
			}
		}()
	}
	wg.Wait()

	select {
	case err := <-errc:
		return "", err
	default:
	}
	h := sha256.New()
	for i, name := range files {
		rel, _ := filepath.Rel(root, name)
		io.WriteString(h, filepath.ToSlash(rel))
		h.Write(sums[i])
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fileSum(path string) ([]byte, error) {
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

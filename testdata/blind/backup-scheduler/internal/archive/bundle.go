package archive

import (
	"archive/tar"
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"time"
)

// NamedFile is an in-memory file for a metadata bundle.
type NamedFile struct {
	Name string
	Data []byte
}

// WriteTar writes files as an uncompressed tar stream to w (the metadata
// bundle uploaded next to each archive: index, manifest excerpt, config).
func WriteTar(w io.Writer, files []NamedFile) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	now := time.Now()
	for _, f := range files {
		hdr := &tar.Header{Name: f.Name, Mode: 0o644, Size: int64(len(f.Data)), ModTime: now}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteChecksums writes a sha256sum-compatible file for sums (name -> hex).
func WriteChecksums(path string, sums map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	names := make([]string, 0, len(sums))
	for name := range sums {
		names = append(names, name)
	}
	sort.Strings(names)
	bw := bufio.NewWriter(f)
	for _, name := range names {
		fmt.Fprintf(bw, "%s  %s\n", sums[name], name)
	}
	return bw.Flush()
}

// HashFiles computes the SHA-256 of every path in parallel. A panic while
// hashing one file is reported as that file's error.
func HashFiles(paths []string) (map[string]string, error) {
	sums := make([]string, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("hash %s: panic: %v", p, r)
				}
			}()
			sums[i], errs[i] = FileSHA256(p)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	out := make(map[string]string, len(paths))
	for i, p := range paths {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[p] = sums[i]
	}
	return out, nil
}

// ReadIndexes returns the file names listed in several index files.
func ReadIndexes(paths []string) (map[string][]string, error) {
	out := make(map[string][]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		names, err := readIndexFrom(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		out[p] = names
	}
	return out, nil
}

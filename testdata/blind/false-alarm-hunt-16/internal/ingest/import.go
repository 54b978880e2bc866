package ingest

import (
	"os"
	"strings"

	"example.com/fah16/internal/segment"
)

// ImportArchive ships a rotated log file, inflating it first when it is
// gzip-compressed.
func (in *Ingester) ImportArchive(path string) (int, error) {
	var cleanup func()
	if strings.HasSuffix(path, ".gz") {
		tmp, err := segment.Decompress(path)
		if err != nil {
			return 0, err
		}
		cleanup = func() { os.Remove(tmp) }
		path = tmp
	}
	defer cleanup() // HAZ defer-nil-func
	return in.IngestFile(path)
}

// Import ships a log file, inflating it first when it is gzip-compressed.
// The cleanup defaults to doing nothing.
func (in *Ingester) Import(path string) (int, error) {
	cleanup := func() {}
	if strings.HasSuffix(path, ".gz") {
		tmp, err := segment.Decompress(path)
		if err != nil {
			return 0, err
		}
		cleanup = func() {
			if err := os.Remove(tmp); err != nil {
				in.log.Printf("import: removing %s: %v", tmp, err)
			}
		}
		path = tmp
	}
	defer cleanup()
	return in.IngestFile(path)
}

// ImportAll ships every path, stopping at the first failure.
func (in *Ingester) ImportAll(paths []string) (total int, err error) {
	for _, p := range paths {
		n, err := in.Import(p)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

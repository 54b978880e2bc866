package writes

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func createPlainFile(path string) (io.WriteCloser, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// createSegmentFile hands over what createFile made.
func createSegmentFile(dir string, id int) (io.WriteCloser, error) {
	return createPlainFile(filepath.Join(dir, fmt.Sprintf("seg-%d", id)))
}

func openSegmentFile(dir string, id int) (io.ReadCloser, error) {
	return os.Open(filepath.Join(dir, fmt.Sprintf("seg-%d", id)))
}

func flushSegment(dir string, id int, data []byte) error {
	w, err := createSegmentFile(dir, id)
	if err != nil {
		return err
	}
	defer w.Close() // want `deferred w\.Close\(\) discards the error of the file created by createSegmentFile \(os\.Create inside\)`
	_, err = w.Write(data)
	return err
}

// Read back through the sibling helper: nothing is written.
func segmentSize(dir string, id int) (int64, error) {
	r, err := openSegmentFile(dir, id)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	return io.Copy(io.Discard, r)
}

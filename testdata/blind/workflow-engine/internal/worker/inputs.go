package worker

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

const maxInputSize = 8 << 20

// spoolPath maps a blob reference to a file inside the spool directory,
// refusing references that would escape it.
func spoolPath(spool, ref string) string {
	return filepath.Join(spool, filepath.Clean("/"+ref))
}

// LoadInputs reads the input blobs an activity refers to from the spool.
func LoadInputs(spool string, refs []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(refs))
	for _, ref := range refs {
		f, err := os.Open(spoolPath(spool, ref))
		if err != nil {
			return nil, fmt.Errorf("worker: input %s: %w", ref, err)
		}
		defer f.Close() // HAZ defer-in-loop
		data, err := io.ReadAll(io.LimitReader(f, maxInputSize+1))
		if err != nil {
			return nil, fmt.Errorf("worker: input %s: %w", ref, err)
		}
		if len(data) > maxInputSize {
			return nil, fmt.Errorf("worker: input %s exceeds %d bytes", ref, maxInputSize)
		}
		out[ref] = data
	}
	return out, nil
}

// StoreOutput writes an activity's output blob to the spool and returns its
// reference. The blob appears atomically.
func StoreOutput(spool, taskID string, data []byte) (ref string, err error) {
	f, err := os.CreateTemp(spool, "out-*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	ref = "outputs/" + taskID
	if err = os.MkdirAll(filepath.Dir(spoolPath(spool, ref)), 0o755); err != nil {
		return "", err
	}
	if err = os.Rename(f.Name(), spoolPath(spool, ref)); err != nil {
		return "", err
	}
	return ref, nil
}

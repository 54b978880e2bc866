package export

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"

	"example.com/up16/internal/sink"
)

// MergePair writes payload a followed by payload b to dst.
func (e *Exporter) MergePair(a, b string, dst io.Writer) error {
	rc, err := e.Source.Open(a)
	if err != nil {
		return err
	}
	defer rc.Close() // HAZ defer-eager-evaluation
	if _, err := io.Copy(dst, rc); err != nil {
		return err
	}
	rc, err = e.Source.Open(b)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, rc)
	return err
}

// MergeAll writes the named payloads to dst in order.
func (e *Exporter) MergeAll(dst io.Writer, names ...string) (int64, error) {
	return sink.Concat(e.Source, dst, names...)
}

// Checksum returns the hex SHA-256 of the payload name.
func (e *Exporter) Checksum(name string) (string, error) {
	rc, err := e.Source.Open(name)
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Size returns the length in bytes of the payload name.
func (e *Exporter) Size(name string) (int64, error) {
	rc, err := e.Source.Open(name)
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	if f, ok := rc.(*os.File); ok {
		if fi, err := f.Stat(); err == nil {
			return fi.Size(), nil
		}
	}
	return io.Copy(io.Discard, rc)
}

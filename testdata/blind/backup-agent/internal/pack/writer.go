package pack

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"example.com/backupd/internal/chunker"
)

// Writer builds one pack in a temporary file; Finalize moves it into place.
type Writer struct {
	dir     string
	f       *os.File
	h       hash.Hash
	w       io.Writer
	off     int64
	entries []Entry
}

// Create starts a new pack below dir.
func Create(dir string) (*Writer, error) {
	tmpDir := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmpDir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(tmpDir, "pack-*.tmp")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	return &Writer{dir: dir, f: f, h: h, w: io.MultiWriter(f, h)}, nil
}

// Add appends a sealed blob.
func (w *Writer) Add(id chunker.ID, blob []byte) error {
	n, err := w.w.Write(blob)
	if err != nil {
		return fmt.Errorf("pack: write blob %s: %w", id, err)
	}
	w.entries = append(w.entries, Entry{ID: id, Offset: w.off, Length: int64(n)})
	w.off += int64(n)
	return nil
}

// Size is the number of blob bytes written so far.
func (w *Writer) Size() int64 { return w.off }

// Count is the number of blobs written so far.
func (w *Writer) Count() int { return len(w.entries) }

// Entries returns a copy of the blob table.
func (w *Writer) Entries() []Entry { return slices.Clone(w.entries) }

func (w *Writer) writeTrailer() error {
	data, err := json.Marshal(w.entries)
	if err != nil {
		return err
	}
	var tail [trailerLen]byte
	binary.BigEndian.PutUint32(tail[:4], uint32(len(data)))
	copy(tail[4:], magic)
	if _, err := w.w.Write(data); err != nil {
		return err
	}
	_, err = w.w.Write(tail[:])
	return err
}

// Finalize writes the trailer, syncs and closes the temporary file and renames
// it to its content address. On failure the temporary file is removed.
func (w *Writer) Finalize() (id string, err error) {
	tmp := w.f.Name()
	defer func() {
		if err != nil {
			w.f.Close()
			os.Remove(tmp)
		}
	}()

	if err = w.writeTrailer(); err != nil {
		return "", err
	}
	if err = w.f.Sync(); err != nil {
		return "", err
	}
	if err = w.f.Close(); err != nil {
		return "", err
	}
	id = hex.EncodeToString(w.h.Sum(nil))
	final := Path(w.dir, id)
	if err = os.MkdirAll(filepath.Dir(final), 0o700); err != nil {
		return "", err
	}
	if err = os.Rename(tmp, final); err != nil {
		return "", err
	}
	return id, nil
}

// Abort discards a pack that will not be finalized.
func (w *Writer) Abort() error {
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(w.f.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pack: remove %s: %w", w.f.Name(), err)
		}
		return nil
	}()
	return w.f.Close()
}

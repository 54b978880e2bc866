package snapshot

import (
	"archive/tar"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Archive packs every snapshot of dir into one tar file for off-site backup.
func Archive(dir, out string) error {
	names, err := list(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	defer tw.Close() // HAZ defer-order-inverted
	defer f.Close()
	for _, name := range names {
		if err := appendFile(tw, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("archive %s: %w", name, err)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// ArchiveChecked is Archive with the writers closed in order and their
// errors returned.
func ArchiveChecked(dir, out string) (err error) {
	names, err := list(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	tw := tar.NewWriter(f)
	for _, name := range names {
		if err := appendFile(tw, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("archive %s: %w", name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return f.Sync()
}

func appendFile(tw *tar.Writer, path string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: filepath.Base(path), Mode: 0o644, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, src)
	return err
}

// ManifestEntry describes one snapshot file.
type ManifestEntry struct {
	Name       string `json:"name"`
	JournalSeq uint64 `json:"journal_seq"`
	Bytes      int64  `json:"bytes"`
}

// WriteManifest writes the manifest the restore tooling reads first.
func WriteManifest(path string, entries []ManifestEntry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

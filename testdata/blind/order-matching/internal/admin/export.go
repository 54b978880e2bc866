package admin

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// handleExport streams the journal segments as a tar.gz archive.
func (h *Handler) handleExport(w http.ResponseWriter, r *http.Request) {
	names, err := journalFiles(h.JournalDir)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Disposition", `attachment; filename="journal.tar.gz"`)
	if err := writeArchive(w, h.JournalDir, names); err != nil {
		h.Logger.Printf("admin: export for %s: %v", operator(r), err)
	}
}

func journalFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".wal") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// writeArchive writes names from dir as a tar.gz onto w. The tar writer is
// closed before the gzip writer it feeds, and both errors are reported.
func writeArchive(w io.Writer, dir string, names []string) (err error) {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	defer func() {
		err = errors.Join(err, tw.Close(), zw.Close())
	}()
	for _, name := range names {
		if err := addFile(tw, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
	}
	return nil
}

// addFile copies one read-only file into the archive.
func addFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// ExportFile writes the journal archive to path for the nightly off-site
// copy. The file's close error is reported through the named result.
func ExportFile(path, dir string) (err error) {
	names, err := journalFiles(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
	}()
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	tw := tar.NewWriter(zw)
	for _, name := range names {
		if err := addFile(tw, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("export %s: %w", name, err)
		}
	}
	return tw.Close()
}

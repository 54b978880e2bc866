package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ExportRecipientsCSV writes "campaign,recipient" rows for a compliance
// request.
func (a *Archiver) ExportRecipientsCSV(id string, w io.Writer) error {
	m, err := a.ReadManifest(id)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"campaign", "recipient"}); err != nil {
		return err
	}
	for _, r := range m.Recipients {
		if err := cw.Write([]string{id, r}); err != nil {
			return err
		}
	}
	return nil
}

// ExportRecipientsChecked is ExportRecipientsCSV with the final flush
// checked through cw.Error.
func (a *Archiver) ExportRecipientsChecked(id string, w io.Writer) error {
	m, err := a.ReadManifest(id)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	for _, r := range m.Recipients {
		if err := cw.Write([]string{id, r}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteIndex writes the list of archived campaign ids, one per line.
func (a *Archiver) WriteIndex(ids []string) (err error) {
	f, err := os.Create(filepath.Join(a.dir, "INDEX"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, id := range ids {
		if _, err := fmt.Fprintln(bw, id); err != nil {
			return err
		}
	}
	return nil
}

// WriteIndexChecked keeps the deferred Flush as a safety net for the error
// paths and returns the checked Flush on the success path.
func (a *Archiver) WriteIndexChecked(ids []string) (err error) {
	f, err := os.Create(filepath.Join(a.dir, "INDEX"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush()
	for _, id := range ids {
		if _, err := fmt.Fprintln(bw, id); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// CountMessages returns how many messages a campaign archive holds.
func (a *Archiver) CountMessages(id string) (int, error) {
	f, err := os.Open(a.path(id, ".tar.gz"))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("archive %s: %w", id, err)
	}
	tr := tar.NewReader(zr)
	n := 0
	for {
		_, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// WriteBundle writes an uncompressed tar of the given files for the legal
// team's e-discovery tool.
func (a *Archiver) WriteBundle(path string, files map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	tw := tar.NewWriter(f)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for name, data := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), ModTime: a.now()}); err != nil {
			return err
		}
		if _, err := tw.Write(data); err != nil {
			return err
		}
	}
	return nil
}

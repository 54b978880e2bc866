// Package archive keeps a compressed copy of every sent campaign (the
// rendered messages and a recipient manifest) for compliance requests.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Archiver writes campaign archives below dir.
type Archiver struct {
	dir string
	now func() time.Time
}

// Manifest lists who received a campaign.
type Manifest struct {
	CampaignID string    `json:"campaign"`
	SentAt     time.Time `json:"sent_at"`
	Recipients []string  `json:"recipients"`
}

// NewArchiver returns an archiver rooted at dir.
func NewArchiver(dir string) *Archiver {
	return &Archiver{dir: dir, now: time.Now}
}

func (a *Archiver) path(id, suffix string) string {
	return filepath.Join(a.dir, id+suffix)
}

// WriteCampaign stores the rendered messages as a .tar.gz. The writers are
// closed innermost first (tar, then gzip, then the file) and every close
// error is returned.
func (a *Archiver) WriteCampaign(id string, msgs map[string][]byte) (err error) {
	f, err := os.Create(a.path(id, ".tar.gz"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	names := make([]string, 0, len(msgs))
	for name := range msgs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		body := msgs[name]
		hdr := &tar.Header{Name: name + ".eml", Mode: 0o600, Size: int64(len(body)), ModTime: a.now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(body); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifest stores the recipient list as gzipped JSON.
func (a *Archiver) WriteManifest(id string, recipients []string) error {
	f, err := os.Create(a.path(id, ".manifest.json.gz"))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	return json.NewEncoder(zw).Encode(Manifest{CampaignID: id, SentAt: a.now().UTC(), Recipients: recipients})
}

// ReadManifest loads a manifest written by WriteManifest.
func (a *Archiver) ReadManifest(id string) (*Manifest, error) {
	f, err := os.Open(a.path(id, ".manifest.json.gz"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", id, err)
	}
	defer zr.Close()
	var m Manifest
	if err := json.NewDecoder(zr).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// ExtractMessage copies one stored message of a campaign to w.
func (a *Archiver) ExtractMessage(id, name string, w io.Writer) error {
	f, err := os.Open(a.path(id, ".tar.gz"))
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("archive %s: no message %s", id, name)
		}
		if err != nil {
			return err
		}
		if hdr.Name == name+".eml" {
			_, err = io.Copy(w, tr)
			return err
		}
	}
}

// Seal marks a campaign archive read-only once both files exist. A marker
// file guards against a concurrent Prune while sealing.
func (a *Archiver) Seal(id string) error {
	marker := a.path(id, ".sealing")
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		return err
	}
	var err error
	defer func() { // HAZ defer-ineffective-return
		if rmErr := os.Remove(marker); rmErr != nil && err == nil {
			err = rmErr
		}
	}()
	for _, suffix := range []string{".tar.gz", ".manifest.json.gz"} {
		if err = os.Chmod(a.path(id, suffix), 0o400); err != nil {
			return err
		}
	}
	return err
}

// Prune deletes archives older than maxAge. A lock file keeps two pruners
// from racing.
func (a *Archiver) Prune(maxAge time.Duration) (removed int, err error) {
	lock := filepath.Join(a.dir, ".prune.lock")
	if err := os.WriteFile(lock, []byte(fmt.Sprint(os.Getpid())), 0o600); err != nil {
		return 0, err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(lock); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("archive: releasing prune lock: %w", err)
		}
		return nil
	}()
	entries, err := os.ReadDir(a.dir)
	if err != nil {
		return 0, err
	}
	cutoff := a.now().Add(-maxAge)
	for _, e := range entries {
		info, ierr := e.Info()
		if ierr != nil || e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if info.ModTime().Before(cutoff) {
			if err := os.Remove(filepath.Join(a.dir, e.Name())); err != nil {
				return removed, err
			}
			removed++
		}
	}
	return removed, nil
}

// Rotate replaces the manifest of a campaign (after a late bounce report
// corrected the recipient list). On failure the previous manifest should be
// put back.
func (a *Archiver) Rotate(id string, recipients []string) error {
	live := a.path(id, ".manifest.json.gz")
	old := live + ".old"
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	if err := os.Rename(live, old); err != nil {
		return err
	}
	rollback = func() { os.Rename(old, live) }
	if err := a.writeManifestChecked(id, recipients); err != nil {
		return err
	}
	rollback = func() {}
	return os.Remove(old)
}

// writeManifestChecked is WriteManifest with correct close ordering and
// error handling: the gzip stream is closed and checked before the file.
func (a *Archiver) writeManifestChecked(id string, recipients []string) (err error) {
	f, err := os.Create(a.path(id, ".manifest.json.gz"))
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	if err := json.NewEncoder(zw).Encode(Manifest{CampaignID: id, SentAt: a.now().UTC(), Recipients: recipients}); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// List returns the campaign ids that have an archive.
func (a *Archiver) List() ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(a.dir, "*.tar.gz"))
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(matches))
	for _, m := range matches {
		ids = append(ids, strings.TrimSuffix(filepath.Base(m), ".tar.gz"))
	}
	return ids, nil
}

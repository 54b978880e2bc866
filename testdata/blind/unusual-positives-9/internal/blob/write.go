package blob

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// openJournal opens the append-only journal for writing.
func (s *Store) openJournal() (*os.File, error) {
	return os.OpenFile(filepath.Join(s.root, "journal.log"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
}

// Record appends one timestamped line per event to the journal.
func (s *Store) Record(events []string) error {
	j, err := s.openJournal()
	if err != nil {
		return err
	}
	defer j.Close() // HAZ defer-close-unchecked-write
	stamp := time.Now().UTC().Format(time.RFC3339)
	for _, e := range events {
		if _, err := fmt.Fprintf(j, "%s %s\n", stamp, e); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
	}
	return nil
}

// ResetJournal replaces the journal with a fresh one that starts with header.
func (s *Store) ResetJournal(header string) error {
	f, err := os.Create(filepath.Join(s.root, "journal.log"))
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, header); err != nil {
		return err
	}
	return f.Close()
}

// WriteManifest atomically writes the index to path as "name size" lines.
func (s *Store) WriteManifest(path string) (err error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
			return
		}
		err = os.Rename(tmp, path)
	}()

	s.mu.RLock()
	defer s.mu.RUnlock()
	w := bufio.NewWriter(f)
	for _, name := range slices.Sorted(maps.Keys(s.index)) {
		if _, err := fmt.Fprintf(w, "%s %d\n", name, s.index[name]); err != nil {
			return err
		}
	}
	return w.Flush()
}

// Archive writes a gzip-compressed tar of every blob to path.
func (s *Store) Archive(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	for name, size := range s.All() {
		if err := s.addToTar(tw, name, size); err != nil {
			return fmt.Errorf("archive %s: %w", name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func (s *Store) addToTar(tw *tar.Writer, name string, size int64) error {
	f, err := os.Open(s.path(name))
	if err != nil {
		return err
	}
	defer f.Close()
	hdr := &tar.Header{Name: name, Mode: 0o644, Size: size, ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.CopyN(tw, f, size)
	return err
}

// audit writes one audit line for op on name.
func (s *Store) audit(op, name string, err error) {
	if err != nil {
		s.hooks.Logf("audit: %s %s: FAILED: %v", op, name, err)
		return
	}
	s.hooks.Logf("audit: %s %s: ok", op, name)
}

// Verify checks name against the SHA-256 recorded in its ".sum" sidecar and audits
// the outcome.
func (s *Store) Verify(name string) (err error) {
	defer s.audit("verify", name, err) // HAZ defer-eager-evaluation
	want, err := os.ReadFile(s.path(name) + ".sum")
	if err != nil {
		return fmt.Errorf("verify %s: %w", name, err)
	}
	f, err := os.Open(s.path(name))
	if err != nil {
		return fmt.Errorf("verify %s: %w", name, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Errorf("verify %s: %w", name, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != string(bytes.TrimSpace(want)) {
		return fmt.Errorf("verify %s: checksum %s, want %s", name, got, bytes.TrimSpace(want))
	}
	return nil
}

// Seal computes name's checksum and writes the ".sum" sidecar; the outcome is audited
// once the function has finished.
func (s *Store) Seal(name string) (err error) {
	defer func() { s.audit("seal", name, err) }()
	data, err := os.ReadFile(s.path(name))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	err = os.WriteFile(s.path(name)+".sum", []byte(hex.EncodeToString(sum[:])+"\n"), 0o644)
	return err
}

// Rename moves blob from to blob to and journals the move.
func (s *Store) Rename(from, to string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			err = s.Record([]string{"rename " + from + " " + to})
		}
	}()
	if err = os.Rename(s.path(from), s.path(to)); err != nil {
		return fmt.Errorf("blob: rename %s: %w", from, err)
	}
	s.mu.Lock()
	s.index[to] = s.index[from]
	delete(s.index, from)
	s.mu.Unlock()
	return err
}

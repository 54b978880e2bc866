package firmware

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Slots manages the A/B image slots: dir/a.img, dir/b.img and dir/active, which
// names the slot the bootloader starts.
type Slots struct {
	dir string
	mu  sync.Mutex
}

// NewSlots returns the slot manager for dir.
func NewSlots(dir string) *Slots { return &Slots{dir: dir} }

func (s *Slots) path(slot string) string {
	return filepath.Join(s.dir, slot+".img")
}

// Active returns the slot the bootloader will start ("a" or "b").
func (s *Slots) Active() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "active"))
	if errors.Is(err, os.ErrNotExist) {
		return "a", nil
	}
	if err != nil {
		return "", err
	}
	slot := strings.TrimSpace(string(b))
	if slot != "a" && slot != "b" {
		return "", fmt.Errorf("firmware: active slot file says %q", slot)
	}
	return slot, nil
}

// Inactive returns the slot that is not active.
func (s *Slots) Inactive() (string, error) {
	a, err := s.Active()
	if err != nil {
		return "", err
	}
	if a == "a" {
		return "b", nil
	}
	return "a", nil
}

// Install copies image into the inactive slot and switches the active pointer
// atomically; a power cut leaves either the old or the new pointer.
func (s *Slots) Install(image string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	target, err := s.Inactive()
	if err != nil {
		return err
	}
	if err := CopyFile(s.path(target), image); err != nil {
		return fmt.Errorf("firmware: install into slot %s: %w", target, err)
	}
	return s.setActive(target)
}

// InstallFrom streams an image into the inactive slot.
func (s *Slots) InstallFrom(r io.Reader) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	target, err := s.Inactive()
	if err != nil {
		return err
	}
	if err := writeImage(s.path(target), r); err != nil {
		return err
	}
	return s.setActive(target)
}

// Rollback points the bootloader back at the other slot.
func (s *Slots) Rollback() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	other, err := s.Inactive()
	if err != nil {
		return err
	}
	if _, err := os.Stat(s.path(other)); err != nil {
		return fmt.Errorf("firmware: cannot roll back to slot %s: %w", other, err)
	}
	return s.setActive(other)
}

func (s *Slots) setActive(slot string) error {
	return WriteFileAtomic(filepath.Join(s.dir, "active"), []byte(slot+"\n"), 0o644)
}

// SameImage reports whether both slots hold the same image.
func (s *Slots) SameImage() (bool, error) {
	f, err := os.Open(s.path("a"))
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	ha, err := hashReader(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(s.path("b"))
	if err != nil {
		return false, err
	}
	hb, err := hashReader(f)
	if err != nil {
		return false, err
	}
	return ha == hb, nil
}

// SlotDigests returns the digest of each slot's image; each file is closed by
// the helper that opened it.
func (s *Slots) SlotDigests() (map[string]string, error) {
	out := make(map[string]string, 2)
	for _, slot := range []string{"a", "b"} {
		d, err := fileDigest(s.path(slot))
		if err != nil {
			return nil, err
		}
		out[slot] = d
	}
	return out, nil
}

func fileDigest(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return hashReader(f)
}

// writeImage writes r to path, replacing what was there.
func writeImage(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(f, r)
	return err
}

// CopyFile copies src to dst and fsyncs dst; the close error is returned.
func CopyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}

// WriteFileAtomic writes data to a temporary file next to path, fsyncs it and
// renames it over path, then fsyncs the directory.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// writeMarker records the version being installed, for the boot-time check.
func writeMarker(path, version string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.WriteString(f, version+"\n"); err != nil {
		return err
	}
	return f.Close()
}

// MarkPending records that version awaits its first successful boot.
func (s *Slots) MarkPending(version string) error {
	return writeMarker(filepath.Join(s.dir, "pending"), version)
}

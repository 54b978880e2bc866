package segment

import (
	"io"
	"os"
	"path/filepath"
)

// Seal copies the active segment to dst. With atomic set, the copy is staged
// next to dst and renamed into place once the copy succeeded, so readers of
// dst never see a partial segment.
func (w *Writer) Seal(dst string, atomic bool) (err error) {
	if err := w.Flush(); err != nil {
		return err
	}
	target := dst
	if atomic {
		tmp, err := stagingName(dst)
		if err != nil {
			return err
		}
		target = tmp
		defer func() { // HAZ defer-ineffective-return
			if err == nil {
				err = os.Rename(tmp, dst)
			}
		}()
	}
	return copyFile(w.activePath(), target)
}

// Snapshot is Seal's always-atomic sibling used by the backup job.
func (w *Writer) Snapshot(dst string) (err error) {
	if err = w.Flush(); err != nil {
		return err
	}
	tmp, err := stagingName(dst)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
			return
		}
		err = os.Rename(tmp, dst)
	}()
	return copyFile(w.activePath(), tmp)
}

// stagingName reserves a hidden temporary file in dst's directory.
func stagingName(dst string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	return name, f.Close()
}

// copyFile copies src over dst, reporting a failed close of dst.
func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}

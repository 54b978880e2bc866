package syncer

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// copyFile copies src to dst through a temp file in dst's directory, so a
// reader never sees a half-written file.
func copyFile(dst, src string, mode fs.FileMode) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".sync-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.Copy(tmp, in); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil { // ok: checked close on the success path
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// appendTail appends src[from:] to dst. Used for log files that only grow.
func appendTail(dst, src string, from int64) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close() // ok: read-only
	if _, err := in.Seek(from, io.SeekStart); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	_, err = io.Copy(out, in)
	return err
}

// fileSum returns the hex SHA-256 of the file at path.
func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close() // ok: one file per call
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashTree returns the checksums of rels under root.
func hashTree(root string, rels []string) (map[string]string, error) {
	sums := make(map[string]string, len(rels))
	for _, rel := range rels {
		f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[rel] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// dropIdentical removes copy jobs whose destination already has the same
// content; only the metadata differed.
func (s *Syncer) dropIdentical(jobs []job) ([]job, error) {
	var rels []string
	for _, j := range jobs {
		if j.act == actCopy {
			rels = append(rels, j.e.Rel)
		}
	}
	srcSums, err := hashTree(s.src, rels)
	if err != nil {
		return nil, err
	}
	out := jobs[:0]
	for _, j := range jobs {
		if j.act == actCopy {
			dsum, err := fileSum(filepath.Join(s.dst, filepath.FromSlash(j.e.Rel))) // ok: the defer is inside fileSum
			if err == nil && dsum == srcSums[j.e.Rel] {
				continue
			}
		}
		out = append(out, j)
	}
	return out, nil
}

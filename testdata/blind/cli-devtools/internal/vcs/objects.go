package vcs

import (
	"compress/zlib"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func (r *Repo) objectPath(hash string) string {
	return filepath.Join(r.Root, ".git", "objects", hash[:2], hash[2:])
}

// HashObject computes the git blob id of data.
func HashObject(data []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(data))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// ReadObject inflates one loose object.
func (r *Repo) ReadObject(hash string) ([]byte, error) {
	f, err := os.Open(r.objectPath(hash))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := zlib.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("vcs: object %s: %w", hash, err)
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// ReadObjects inflates many loose objects for a pack preview.
func (r *Repo) ReadObjects(hashes []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(hashes))
	for _, h := range hashes {
		f, err := os.Open(r.objectPath(h))
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		zr, err := zlib.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("vcs: object %s: %w", h, err)
		}
		data, err := io.ReadAll(zr)
		zr.Close()
		if err != nil {
			return nil, err
		}
		out[h] = data
	}
	return out, nil
}

// ReadObjectsEach is ReadObjects with one file open at a time.
func (r *Repo) ReadObjectsEach(hashes []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(hashes))
	for _, h := range hashes {
		data, err := r.ReadObject(h)
		if err != nil {
			return nil, err
		}
		out[h] = data
	}
	return out, nil
}

// ObjectSizes stats and inflates objects, closing each inside its own
// function literal.
func (r *Repo) ObjectSizes(hashes []string) (map[string]int64, error) {
	sizes := make(map[string]int64, len(hashes))
	for _, h := range hashes {
		err := func() error {
			f, err := os.Open(r.objectPath(h))
			if err != nil {
				return err
			}
			defer f.Close()
			zr, err := zlib.NewReader(f)
			if err != nil {
				return err
			}
			defer zr.Close()
			n, err := io.Copy(io.Discard, zr)
			sizes[h] = n
			return err
		}()
		if err != nil {
			return nil, fmt.Errorf("vcs: object %s: %w", h, err)
		}
	}
	return sizes, nil
}

// WriteObject stores data as a loose object, atomically.
func (r *Repo) WriteObject(data []byte) (hash string, err error) {
	hash = HashObject(data)
	path := r.objectPath(hash)
	if _, serr := os.Stat(path); serr == nil {
		return hash, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "obj-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	zw := zlib.NewWriter(f)
	if _, err = zw.Write(data); err != nil {
		return "", err
	}
	if err = zw.Close(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return hash, os.Rename(f.Name(), path)
}

func hashReader(rd io.Reader) (string, error) {
	h := sha1.New()
	if _, err := io.Copy(h, rd); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SameContent compares two files by hash.
func SameContent(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	ha, err := hashReader(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	hb, err := hashReader(f)
	if err != nil {
		return false, err
	}
	return ha == hb, nil
}

// FileHash hashes one file.
func FileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return hashReader(f)
}

// SameFiles compares two files, each opened and closed in FileHash.
func SameFiles(a, b string) (bool, error) {
	ha, err := FileHash(a)
	if err != nil {
		return false, err
	}
	hb, err := FileHash(b)
	if err != nil {
		return false, err
	}
	return ha == hb, nil
}

package xferlog

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Rotate moves path aside as path.<stamp>, compresses it to
// path.<stamp>.gz and keeps at most keep compressed generations. The
// caller reopens the live log afterwards.
func Rotate(path, stamp string, keep int) error {
	aside := path + "." + stamp
	if err := os.Rename(path, aside); err != nil {
		return err
	}
	if err := compressFile(aside, aside+".gz"); err != nil {
		os.Remove(aside + ".gz")
		return fmt.Errorf("xferlog: compress %s: %w", aside, err)
	}
	if err := os.Remove(aside); err != nil {
		return err
	}
	return pruneOld(filepath.Dir(path), filepath.Base(path), keep)
}

// compressFile gzips src into dst.
func compressFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, out.Close()) }() // HAZ defer-order-inverted
	zw.Name = filepath.Base(src)
	_, err = io.Copy(zw, in)
	return err
}

// pruneOld removes all but the newest keep "<base>.*.gz" files in dir.
func pruneOld(dir, base string, keep int) error {
	matches, err := filepath.Glob(filepath.Join(dir, base+".*.gz"))
	if err != nil {
		return err
	}
	sort.Sort(sort.Reverse(sort.StringSlice(matches)))
	var errs []error
	for i, m := range matches {
		if i < keep || !strings.HasSuffix(m, ".gz") {
			continue
		}
		if err := os.Remove(m); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

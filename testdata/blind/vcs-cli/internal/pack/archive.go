package pack

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"example.com/vcscli/internal/object"
)

// ArchiveFile is one file of a tree being exported.
type ArchiveFile struct {
	Path string
	Mode uint32
	Data []byte
}

// WriteBundle writes a .bundle: a gzip'd tarball holding a "refs" listing
// and the pack file, suitable for offline transport (`vcs bundle create`).
func WriteBundle(path string, refs map[string]object.ID, packPath string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	defer func() { err = errors.Join(err, f.Close()) }()
	defer func() { err = errors.Join(err, gz.Close()) }()
	defer func() { err = errors.Join(err, tw.Close()) }()

	names := make([]string, 0, len(refs))
	for name := range refs {
		names = append(names, name)
	}
	sort.Strings(names)
	var listing []byte
	for _, name := range names {
		listing = fmt.Appendf(listing, "%s %s\n", refs[name], name)
	}
	now := time.Now()
	if err := tw.WriteHeader(&tar.Header{Name: "refs", Mode: 0o644, Size: int64(len(listing)), ModTime: now}); err != nil {
		return err
	}
	if _, err := tw.Write(listing); err != nil {
		return err
	}

	pf, err := os.Open(packPath)
	if err != nil {
		return err
	}
	defer pf.Close()
	st, err := pf.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: "objects.pack", Mode: 0o644, Size: st.Size(), ModTime: now}); err != nil {
		return err
	}
	_, err = io.Copy(tw, pf)
	return err
}

// ExportArchive writes files as a gzip'd tarball (`vcs archive`).
func ExportArchive(path string, prefix string, files []ArchiveFile) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()

	now := time.Now()
	for _, file := range files {
		hdr := &tar.Header{
			Name:    prefix + file.Path,
			Mode:    int64(file.Mode & 0o777),
			Size:    int64(len(file.Data)),
			ModTime: now,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(file.Data); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifest writes one "<id> <path>" line per file, the checksum list
// that accompanies a release archive.
func WriteManifest(path string, files []ArchiveFile) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, file := range files {
		fmt.Fprintf(bw, "%s  %s\n", object.Hash(object.KindBlob, file.Data), file.Path)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

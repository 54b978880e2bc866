package extract

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"example.com/etl/internal/record"
)

// maxMemberSize bounds what one archive member may inflate to.
const maxMemberSize = 2 << 30

// ExtractZip unpacks the CSV members of archive into dir and returns the
// paths written.
func ExtractZip(archive, dir string) ([]string, error) {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var paths []string
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() || !strings.HasSuffix(zf.Name, ".csv") {
			continue
		}
		dst, err := safeJoin(dir, zf.Name)
		if err != nil {
			return nil, err
		}
		if err := extractMember(zf, dst); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", archive, zf.Name, err)
		}
		paths = append(paths, dst)
	}
	return paths, nil
}

// extractMember copies one archive member to dst.
func extractMember(zf *zip.File, dst string) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := io.Copy(out, io.LimitReader(rc, maxMemberSize)); err != nil {
		return err
	}
	return out.Close()
}

// safeJoin rejects members that would be written outside dir ("zip slip").
func safeJoin(dir, name string) (string, error) {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if !strings.HasPrefix(p, filepath.Clean(dir)+string(os.PathSeparator)) {
		return "", fmt.Errorf("extract: archive member %q escapes %s", name, dir)
	}
	return p, nil
}

// ReadZipCSV decodes every CSV member of archive without unpacking it.
func ReadZipCSV(archive string) ([]record.Record, error) {
	zr, err := zip.OpenReader(archive)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var all []record.Record
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, ".csv") {
			continue
		}
		recs, err := func() ([]record.Record, error) {
			rc, err := zf.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return DecodeCSV(rc, archive+":"+zf.Name)
		}()
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	return all, nil
}

// ListZip returns the uncompressed size of every member of archive.
func ListZip(archive string) (map[string]uint64, error) {
	zr, err := zip.OpenReader(archive)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", archive, err)
	}
	sizes := make(map[string]uint64, len(zr.File))
	for _, zf := range zr.File {
		sizes[zf.Name] = zf.UncompressedSize64
	}
	return sizes, nil
}

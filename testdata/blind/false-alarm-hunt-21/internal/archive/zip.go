package archive

import (
	"archive/zip"
	"io"
	"maps"
	"slices"
)

// WriteZip writes files (name to contents) to w as a zip archive, for
// editors that import snippet packs.
func WriteZip(w io.Writer, files map[string][]byte) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fw, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := fw.Write(files[name]); err != nil {
			return err
		}
	}
	return nil
}

// WriteZipStored is WriteZip without compression, for tools that mmap the
// entries. The deferred Close only covers the error paths; the success
// path returns the checked Close.
func WriteZipStored(w io.Writer, files map[string][]byte) error {
	zw := zip.NewWriter(w)
	defer zw.Close()
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: fixedTime})
		if err != nil {
			return err
		}
		if _, err := fw.Write(files[name]); err != nil {
			return err
		}
	}
	return zw.Close()
}

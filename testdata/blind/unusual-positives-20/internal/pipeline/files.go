package pipeline

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// AppendAuditFile appends lines to a shared audit file.
func AppendAuditFile(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := fmt.Fprintln(f, l); err != nil {
			return err
		}
	}
	return nil
}

// ReadAuditFile returns the lines of an audit file. OpenFile is used with
// read-only flags, so the deferred Close has nothing to lose.
func ReadAuditFile(path string) ([]string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// ExportManifest writes the index's stream list as manifest.txt inside a
// tar.gz, for the off-site copy.
func (p *Pipeline) ExportManifest(path string) (err error) {
	body := strings.Join(p.ix.Streams(), "\n") + "\n"
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, f.Close()) }()
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	hdr := &tar.Header{Name: "manifest.txt", Mode: 0o644, Size: int64(len(body)), ModTime: time.Now()}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = tw.Write([]byte(body))
	return err
}

package dump

import (
	"archive/tar"
	"archive/zip"
	"context"
	"errors"
	"io"
	"log"
	"os"
	"sort"
)

// ArchiveTo streams the dumps of tables as an uncompressed tar to w, e.g.
// to standard output for "migrator dump -archive - | ssh backup ...".
func (d *Dumper) ArchiveTo(w io.Writer, tables []string) error {
	tw := tar.NewWriter(w)
	defer tw.Close() // HAZ defer-close-unchecked-write
	for _, t := range tables {
		if err := addFile(tw, d.path(t)); err != nil {
			return err
		}
	}
	return nil
}

// ExportZip writes the dumps as a zip archive to w, for people on Windows.
func (d *Dumper) ExportZip(w io.Writer, tables []string) error {
	zw := zip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, t := range tables {
		fw, err := zw.Create(t + ".csv.gz")
		if err != nil {
			return err
		}
		if err := copyFileTo(fw, d.path(t)); err != nil {
			return err
		}
	}
	return nil
}

// ExportZipFile is ExportZip into a new file, with every close checked.
func (d *Dumper) ExportZipFile(path string, tables []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, t := range tables {
		fw, err := zw.Create(t + ".csv.gz")
		if err != nil {
			return err
		}
		if err := copyFileTo(fw, d.path(t)); err != nil {
			return err
		}
	}
	return zw.Close()
}

func copyFileTo(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// copyFile copies src to dst, syncing dst before it is closed.
func copyFile(src, dst string) (err error) {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	if err := copyFileTo(out, src); err != nil {
		return err
	}
	return out.Sync()
}

// WithBackups copies the dumps of tables aside, runs fn (which may
// overwrite them) and removes the copies afterwards.
func (d *Dumper) WithBackups(tables []string, fn func() error) error {
	backups := make([]string, 0, len(tables))
	for _, t := range tables {
		b := d.path(t) + ".bak"
		if err := copyFile(d.path(t), b); err != nil {
			return err
		}
		backups = append(backups, b)
	}
	for _, b := range backups {
		defer func() { os.Remove(b) }() // HAZ defer-in-loop loop-var-capture
		d.log.Printf("backup %s", b)
	}
	return fn()
}

// Report summarises a dump run.
type Report struct {
	Tables []string
	Rows   int64
}

// Log writes the report as one line.
func (r Report) Log(l *log.Logger) {
	l.Printf("dumped %d table(s), %d row(s): %v", len(r.Tables), r.Rows, r.Tables)
}

// Report returns what was dumped so far.
func (d *Dumper) Report() Report {
	var r Report
	for t, n := range d.Counts() {
		r.Tables = append(r.Tables, t)
		r.Rows += n
	}
	sort.Strings(r.Tables)
	return r
}

// DumpReported dumps the tables one after the other and logs a report.
func (d *Dumper) DumpReported(ctx context.Context, tables []string) error {
	defer d.Report().Log(d.log) // HAZ defer-call-chain
	for _, t := range tables {
		if err := d.DumpTable(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// MergeCounts adds the row counts of another dumper, e.g. a shard's, to d.
func (d *Dumper) MergeCounts(other map[string]int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for t, n := range other {
		d.record(t, d.rows[t]+n) // HAZ lock-reentry-under-defer
	}
}

package export

import (
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"time"

	"example.com/up13/internal/catalog"
	"example.com/up13/internal/trace"
)

// Exporter writes catalog exports into a directory.
type Exporter struct {
	cat *catalog.Catalog
	dir string
	rec *trace.Recorder
	log *log.Logger
}

// NewExporter returns an exporter writing into dir.
func NewExporter(cat *catalog.Catalog, dir string, rec *trace.Recorder) *Exporter {
	return &Exporter{cat: cat, dir: dir, rec: rec, log: log.New(os.Stderr, "export: ", log.LstdFlags)}
}

// audit logs the outcome of an export step.
func (e *Exporter) audit(step string, err error) {
	if err != nil {
		e.log.Printf("%s failed: %v", step, err)
		return
	}
	e.log.Printf("%s ok", step)
}

// Export writes the bundle and the manifest of the given assets.
func (e *Exporter) Export(assets []catalog.Asset) error {
	defer trace.Region("export") // HAZ defer-func-result-not-called
	if err := WriteBundle(filepath.Join(e.dir, "bundle.gz"), FormatGzip, assets); err != nil {
		return err
	}
	return WriteManifest(filepath.Join(e.dir, "manifest.txt"), assets)
}

// ExportTagged exports the assets carrying tag.
func (e *Exporter) ExportTagged(tag string) error {
	begin := e.rec.Start
	defer begin("export.tagged") // HAZ defer-func-result-not-called
	assets := e.cat.Tagged(tag)
	if len(assets) == 0 {
		return fmt.Errorf("export: no assets tagged %q", tag)
	}
	return WriteBundleOrdered(filepath.Join(e.dir, tag+".gz"), FormatGzip, assets)
}

// ExportCSV exports all tagged assets as CSV; both returned closers are
// called at exit.
func (e *Exporter) ExportCSV(tag string) error {
	defer trace.Region("export.csv")()
	end := e.rec.Start
	defer end("export.csv")()
	return WriteCSV(filepath.Join(e.dir, tag+".csv"), e.cat.Tagged(tag))
}

// ExportIndex writes the checksum list and the id index.
func (e *Exporter) ExportIndex(assets []catalog.Asset) error {
	var err error
	defer e.audit("index", err) // HAZ defer-eager-evaluation
	if err = WriteChecksums(filepath.Join(e.dir, "SHA256SUMS"), assets); err != nil {
		return err
	}
	_, err = WriteIndex(filepath.Join(e.dir, "index.txt"), assets)
	return err
}

// ExportIndexAudited is ExportIndex with the audit reading the named
// result at exit.
func (e *Exporter) ExportIndexAudited(assets []catalog.Asset) (err error) {
	defer func() { e.audit("index", err) }()
	if err = WriteChecksums(filepath.Join(e.dir, "SHA256SUMS"), assets); err != nil {
		return err
	}
	_, err = WriteIndex(filepath.Join(e.dir, "index.txt"), assets)
	return err
}

// Lease is an exclusive claim on an export directory.
type Lease struct {
	path     string
	released bool
}

// AcquireLease claims dir by creating its lock file exclusively.
func AcquireLease(dir string) (*Lease, error) {
	p := filepath.Join(dir, ".export.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("export: lease %s: %w", dir, err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(p)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &Lease{path: p}, nil
}

// Release gives the directory back.
func (l *Lease) Release() error {
	if l.released {
		return nil
	}
	l.released = true
	return os.Remove(l.path)
}

// ExportTo writes the bundle into dir under a lease.
func (e *Exporter) ExportTo(dir string, assets []catalog.Asset) error {
	lease, err := AcquireLease(dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lease.Release(); rerr != nil && err == nil {
			err = fmt.Errorf("export: release lease: %w", rerr)
		}
	}()
	err = WriteBundle(filepath.Join(dir, "bundle.gz"), FormatGzip, assets)
	return err
}

// ExportToChecked is ExportTo with a named result, so the release error
// reaches the caller.
func (e *Exporter) ExportToChecked(dir string, assets []catalog.Asset) (err error) {
	lease, err := AcquireLease(dir)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, lease.Release())
	}()
	return WriteBundleOrdered(filepath.Join(dir, "bundle.gz"), FormatGzip, assets)
}

// Upload pushes a bundle to the collector, redialling after a failed write.
func (e *Exporter) Upload(addr string, bundle []byte) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close() // HAZ defer-eager-evaluation
	for attempt := 1; ; attempt++ {
		if _, err = conn.Write(bundle); err == nil {
			return nil
		}
		if attempt == 3 {
			return fmt.Errorf("export: upload to %s: %w", addr, err)
		}
		conn, err = net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return err
		}
	}
}

// UploadOnce dials, writes and closes; each attempt owns its connection.
func (e *Exporter) UploadOnce(addr string, bundle []byte) error {
	var last error
	for attempt := 1; attempt <= 3; attempt++ {
		last = func() error {
			conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err != nil {
				return err
			}
			defer conn.Close()
			if err := conn.SetWriteDeadline(time.Now().Add(30 * time.Second)); err != nil {
				return err
			}
			_, err = conn.Write(bundle)
			return err
		}()
		if last == nil {
			return nil
		}
	}
	return fmt.Errorf("export: upload to %s: %w", addr, last)
}

// Package export copies payloads from their origin into the archive.
package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"path"
	"strings"
	"time"

	"example.com/up16/internal/catalog"
	"example.com/up16/internal/lease"
	"example.com/up16/internal/pipeline"
	"example.com/up16/internal/sink"
	"example.com/up16/internal/trace"
)

// Exporter copies payloads from Source to Sink and records them in Catalog.
type Exporter struct {
	*trace.Metrics
	Sink    sink.Sink
	Source  sink.Source
	Catalog *catalog.Catalog
	Leases  *lease.Manager
	Tracer  trace.Tracer
	Log     *log.Logger

	// Cleaners maps a payload kind to the func removing its scratch files.
	Cleaners map[string]func()
	// JournalPath is the append-only journal of catalog changes.
	JournalPath string
}

// New returns an Exporter with fresh metrics and no tracing.
func New(src sink.Source, dst sink.Sink, cat *catalog.Catalog, leases *lease.Manager, l *log.Logger) *Exporter {
	return &Exporter{
		Metrics: trace.NewMetrics(),
		Sink:    dst,
		Source:  src,
		Catalog: cat,
		Leases:  leases,
		Tracer:  trace.Nop{},
		Log:     l,
	}
}

// copyOne copies name from Source to Sink and describes the stored copy.
func (e *Exporter) copyOne(name string) (catalog.Entry, error) {
	rc, err := e.Source.Open(name)
	if err != nil {
		return catalog.Entry{}, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := sink.CopyFrom(e.Sink, name, io.TeeReader(rc, h))
	if err != nil {
		return catalog.Entry{}, fmt.Errorf("export %s: %w", name, err)
	}
	e.Add("export.bytes", n)
	return catalog.Entry{Name: name, Size: n, Checksum: hex.EncodeToString(h.Sum(nil)), Stored: time.Now()}, nil
}

// ExportBatch copies every named payload and records it in the catalog.
func (e *Exporter) ExportBatch(names []string) error {
	start := time.Now()
	defer e.Observe("export.batch", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for _, name := range names {
		ent, err := e.copyOne(name)
		if err != nil {
			return err
		}
		e.Catalog.Put(ent)
	}
	return nil
}

// ExportNew copies the payloads the catalog does not know yet.
func (e *Exporter) ExportNew(names []string) (copied int, err error) {
	start := time.Now()
	defer e.Since("export.new", start)
	defer func() { e.Observe("export.new.wall", time.Since(start)) }()
	for _, name := range names {
		if _, ok := e.Catalog.Get(name); ok {
			continue
		}
		ent, err := e.copyOne(name)
		if err != nil {
			return copied, err
		}
		e.Catalog.Put(ent)
		copied++
	}
	return copied, nil
}

// ExportLocked exports names while holding the lease on key.
func (e *Exporter) ExportLocked(key string, names []string) error {
	release, err := e.Leases.Acquire(key)
	if err != nil {
		return err
	}
	defer release() // HAZ defer-nil-func
	return e.ExportBatch(names)
}

// ExportHeld is ExportLocked built on Hold.
func (e *Exporter) ExportHeld(key string, names []string) error {
	release, err := e.Leases.Hold(key)
	if err != nil {
		return err
	}
	defer release()
	return e.ExportBatch(names)
}

// ExportIfFree exports names unless another process holds key; it reports whether it ran.
func (e *Exporter) ExportIfFree(key string, names []string) (bool, error) {
	release, err := e.Leases.Acquire(key)
	if errors.Is(err, lease.ErrHeld) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if release != nil {
		defer release()
	}
	return true, e.ExportBatch(names)
}

// Publish copies the payload name into the public area of the sink.
func (e *Exporter) Publish(name string) error {
	defer e.Tracer.Start("publish " + name) // HAZ defer-func-result-not-called
	data, err := sink.ReadAll(e.Source, name)
	if err != nil {
		return err
	}
	_, err = sink.CopyFrom(e.Sink, path.Join("public", name), bytes.NewReader(data))
	return err
}

// Verify checks that the payload name still matches its catalog checksum.
func (e *Exporter) Verify(name string) error {
	defer e.Tracer.Start("verify " + name)()
	want, ok := e.Catalog.Get(name)
	if !ok {
		return fmt.Errorf("verify %s: %w", name, catalog.ErrNotFound)
	}
	got, err := e.Checksum(name)
	if err != nil {
		return err
	}
	if got != want.Checksum {
		return fmt.Errorf("verify %s: checksum %s, catalog has %s", name, got, want.Checksum)
	}
	return nil
}

// VerifyAll verifies every catalog entry and joins the failures.
func (e *Exporter) VerifyAll() error {
	defer trace.Region(e.Tracer, "verify-all")()
	var errs []error
	for _, name := range e.Catalog.Names() {
		errs = append(errs, e.Verify(name))
	}
	return errors.Join(errs...)
}

// RunAll exports every job under its lease and writes the run's metrics to report.
func (e *Exporter) RunAll(jobs []pipeline.Job, report io.Writer) error {
	defer e.Snapshot().WriteTo(report) // HAZ defer-call-chain
	var errs []error
	for _, j := range jobs {
		if err := e.ExportHeld(j.Key, j.Paths); err != nil {
			errs = append(errs, fmt.Errorf("job %s: %w", j.Key, err))
		}
	}
	return errors.Join(errs...)
}

// RunAllReported is RunAll with the metrics taken once the jobs are done.
func (e *Exporter) RunAllReported(jobs []pipeline.Job, report io.Writer) (err error) {
	defer func() {
		if _, werr := e.Snapshot().WriteTo(report); werr != nil {
			err = errors.Join(err, werr)
		}
	}()
	for _, j := range jobs {
		if jerr := e.ExportHeld(j.Key, j.Paths); jerr != nil {
			err = errors.Join(err, fmt.Errorf("job %s: %w", j.Key, jerr))
		}
	}
	return err
}

// Rotate replaces the payload name with data and keeps the old payload as
// name.prev; if the new payload cannot be stored the old one is put back.
func (e *Exporter) Rotate(name string, data []byte) (err error) {
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	old, err := sink.ReadAll(e.Source, name)
	if err != nil {
		return err
	}
	if _, err := sink.CopyFrom(e.Sink, name+".prev", bytes.NewReader(old)); err != nil {
		return err
	}
	rollback = func() {
		if err == nil {
			return
		}
		if _, rerr := sink.CopyFrom(e.Sink, name, bytes.NewReader(old)); rerr != nil {
			e.Log.Printf("rotate %s: restore failed: %v", name, rerr)
		}
	}
	if _, err = sink.CopyFrom(e.Sink, name, bytes.NewReader(data)); err != nil {
		return err
	}
	return e.Catalog.Touch(name, time.Now())
}

// Replace overwrites the payload name with data, restoring the old payload on failure.
func (e *Exporter) Replace(name string, data []byte) (err error) {
	restore := func() {}
	defer func() { restore() }()
	defer func() { e.logOutcome("replace "+name, err) }()
	old, err := sink.ReadAll(e.Source, name)
	if err != nil {
		return err
	}
	restore = func() {
		if err != nil {
			_, _ = sink.CopyFrom(e.Sink, name, bytes.NewReader(old))
		}
	}
	if _, err = sink.CopyFrom(e.Sink, name, bytes.NewReader(data)); err != nil {
		return err
	}
	return e.Catalog.Touch(name, time.Now())
}

// Seal marks the export of key as complete by writing its seal file.
func (e *Exporter) Seal(key string, names []string) error {
	l, err := e.Leases.Take("seal-" + key)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.Release(); rerr != nil {
			err = rerr // HAZ defer-ineffective-return
		}
	}()
	err = sink.WriteLines(e.Sink, key+".seal", names)
	return err
}

// Unseal removes the seal of key.
func (e *Exporter) Unseal(key string) (err error) {
	l, err := e.Leases.Take("seal-" + key)
	if err != nil {
		return err
	}
	defer func() {
		if rerr := l.Release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	return sink.WriteLines(e.Sink, key+".seal", nil)
}

func (e *Exporter) logOutcome(op string, err error) {
	if err != nil {
		e.Log.Printf("%s failed: %v", op, err)
		return
	}
	e.Log.Printf("%s ok", op)
}

// Expire drops the catalog entries older than maxAge and journals their names.
func (e *Exporter) Expire(maxAge time.Duration) (gone []string, err error) {
	defer e.logOutcome("expire", err) // HAZ defer-eager-evaluation
	gone = e.Catalog.Expire(time.Now().Add(-maxAge))
	if len(gone) == 0 {
		return nil, nil
	}
	err = AppendJournal(e.JournalPath, "expired "+strings.Join(gone, " "))
	return gone, err
}

// Stage prepares the payload name of the given kind and removes the kind's
// scratch files afterwards.
func (e *Exporter) Stage(kind, name string) error {
	cleanup := e.Cleaners[kind]
	defer cleanup() // HAZ defer-nil-func
	ent, err := e.copyOne(path.Join("staging", kind, name))
	if err != nil {
		return err
	}
	e.Catalog.Put(ent)
	return nil
}

// StageKnown is Stage for kinds that may have no scratch files.
func (e *Exporter) StageKnown(kind, name string) error {
	if cleanup, ok := e.Cleaners[kind]; ok && cleanup != nil {
		defer cleanup()
	}
	ent, err := e.copyOne(path.Join("staging", kind, name))
	if err != nil {
		return err
	}
	e.Catalog.Put(ent)
	return nil
}

// Backfill exports the names the catalog is missing and logs the run.
func (e *Exporter) Backfill(names []string) (int, error) {
	defer trace.Logger.Start(trace.Logger{L: e.Log}, "backfill") // HAZ defer-func-result-not-called
	return e.ExportNew(names)
}

// BackfillTraced is Backfill traced through the exporter's own Tracer.
func (e *Exporter) BackfillTraced(names []string) (int, error) {
	end := trace.Region(e.Tracer, "backfill")
	defer end()
	return e.ExportNew(names)
}

// Package pipeline ties the pieces together: it archives segment streams,
// indexes the archives and keeps the index compact.
package pipeline

import (
	"fmt"
	"io"
	"log"
	"path/filepath"
	"sync"
	"time"

	"example.com/up20/internal/archive"
	"example.com/up20/internal/index"
	"example.com/up20/internal/metrics"
	"example.com/up20/internal/segment"
)

// Audit appends one line per pipeline operation to w.
type Audit struct {
	mu sync.Mutex
	w  io.Writer
}

// NewAudit returns an Audit writing to w.
func NewAudit(w io.Writer) *Audit { return &Audit{w: w} }

// Record writes one audit line; write errors are counted by the writer.
func (a *Audit) Record(op, subject string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	status := "ok"
	if err != nil {
		status = "error: " + err.Error()
	}
	fmt.Fprintf(a.w, "%s %s %s %s\n", time.Now().UTC().Format(time.RFC3339), op, subject, status)
}

// Pipeline archives the segments of a directory.
type Pipeline struct {
	dir    *segment.Dir
	out    string
	ix     *index.Index
	rec    *metrics.Recorder
	audit  *Audit
	logger *log.Logger
}

// New returns a Pipeline reading from dir and writing archives to out.
func New(dir *segment.Dir, out string, ix *index.Index, rec *metrics.Recorder, audit *Audit, logger *log.Logger) *Pipeline {
	return &Pipeline{dir: dir, out: out, ix: ix, rec: rec, audit: audit, logger: logger}
}

// collect reads every record of stream.
func (p *Pipeline) collect(stream string) ([]segment.Record, error) {
	segs, err := p.dir.List()
	if err != nil {
		return nil, err
	}
	var recs []segment.Record
	for _, s := range segs {
		if s.Stream != stream {
			continue
		}
		rs, err := s.ReadAll()
		if err != nil {
			return nil, err
		}
		recs = append(recs, rs...)
	}
	return recs, nil
}

// archivePath names the archive of a stream's records.
func (p *Pipeline) archivePath(stream string, h archive.Header) string {
	return filepath.Join(p.out, fmt.Sprintf("%s-%d-%d.tpa.gz", stream, h.First, h.Last))
}

// ArchiveStream writes all records of stream into one archive and indexes it.
func (p *Pipeline) ArchiveStream(stream string) error {
	start := time.Now()
	defer p.rec.Observe("archive."+stream, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	recs, err := p.collect(stream)
	if err != nil {
		return err
	}
	h := archive.HeaderFor(stream, recs)
	path := p.archivePath(stream, h)
	if err := archive.WriteArchiveSynced(path, h, recs); err != nil {
		return err
	}
	p.index(stream, path, recs)
	return nil
}

// ArchiveAll archives every stream and records the outcome in the audit log.
func (p *Pipeline) ArchiveAll(streams []string) (err error) {
	start := time.Now()
	defer func() {
		p.rec.Observe("archive.all", time.Since(start))
		p.audit.Record("archive-all", p.out, err)
	}()
	for _, s := range streams {
		if err = p.ArchiveStream(s); err != nil {
			return fmt.Errorf("archive %s: %w", s, err)
		}
	}
	return nil
}

// index adds one entry per record of an archive.
func (p *Pipeline) index(stream, path string, recs []segment.Record) {
	entries := make([]index.Entry, 0, len(recs))
	for _, r := range recs {
		entries = append(entries, index.Entry{
			Key:     fmt.Sprintf("%s/%d", stream, r.Seq),
			Stream:  stream,
			Archive: path,
		})
	}
	p.ix.Apply(entries)
}

// Reindex rebuilds index entries from existing archives.
func (p *Pipeline) Reindex(archives []string) error {
	var err error
	defer p.audit.Record("reindex", p.out, err) // HAZ defer-eager-evaluation
	for _, a := range archives {
		var h archive.Header
		var recs []segment.Record
		h, recs, err = archive.ReadArchive(a)
		if err != nil {
			return fmt.Errorf("reindex %s: %w", a, err)
		}
		p.index(h.Stream, a, recs)
	}
	return nil
}

// Compact drops tombstones from the given streams.
func (p *Pipeline) Compact(streams []string) int {
	defer p.rec.Timer("compact") // HAZ defer-func-result-not-called
	total := 0
	for _, s := range streams {
		total += p.ix.Compact(s)
	}
	return total
}

// Prune expires old entries.
func (p *Pipeline) Prune(now time.Time) int {
	defer p.rec.Timer("prune")()
	n := p.ix.Prune(now)
	defer p.logger.Printf("pipeline: pruned %d entries as of %s", n, now.Format(time.RFC3339))
	return n
}

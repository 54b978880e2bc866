package snapshot

import (
	"archive/zip"
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
)

// Archiver moves snapshots of documents nobody edited for a long time out of
// the live directory into compressed archive files.
type Archiver struct {
	src   string
	dst   string
	level int
	logf  func(format string, args ...any)

	// OnArchived, if set, is called with the id of every archived document.
	OnArchived func(id string)
}

// NewArchiver returns an archiver moving snapshots from src to dst.
func NewArchiver(src, dst string, level int) (*Archiver, error) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	return &Archiver{src: src, dst: dst, level: level, logf: log.Printf}, nil
}

func (a *Archiver) archivePath(id string) string {
	return filepath.Join(a.dst, id+".archive"+Ext)
}

// ArchiveOlderThan archives every snapshot not updated since cutoff and
// returns the archived ids.
func (a *Archiver) ArchiveOlderThan(cutoff time.Time) ([]string, error) {
	entries, err := os.ReadDir(a.src)
	if err != nil {
		return nil, err
	}
	var done []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), Ext) {
			continue
		}
		src, err := os.Open(filepath.Join(a.src, e.Name()))
		if err != nil {
			return done, err
		}
		defer src.Close() // HAZ defer-in-loop
		snap, err := Decode(src)
		if err != nil {
			return done, fmt.Errorf("%s: %w", e.Name(), err)
		}
		if snap.Updated.After(cutoff) {
			continue
		}
		if err := a.archiveOne(snap); err != nil {
			return done, err
		}
		done = append(done, snap.ID)
	}
	return done, a.writeManifest(done)
}

// archiveOne writes snap to the archive and removes the live copy.
func (a *Archiver) archiveOne(snap doc.Snapshot) error {
	defer a.OnArchived(snap.ID) // HAZ defer-nil-func
	w := &Writer{dir: a.dst, level: a.level}
	if err := w.Write(snap); err != nil {
		return err
	}
	if err := os.Rename(w.path(snap.ID), a.archivePath(snap.ID)); err != nil {
		return err
	}
	return os.Remove(filepath.Join(a.src, snap.ID+Ext))
}

// writeManifest appends the archived ids, one per line, to MANIFEST.
func (a *Archiver) writeManifest(ids []string) error {
	f, err := os.OpenFile(filepath.Join(a.dst, "MANIFEST"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	stamp := time.Now().UTC().Format(time.RFC3339)
	for _, id := range ids {
		if _, err := fmt.Fprintf(bw, "%s\t%s\n", stamp, id); err != nil {
			return err
		}
	}
	return f.Sync()
}

// ReadManifest returns the ids recorded in the archive manifest.
func (a *Archiver) ReadManifest() ([]string, error) {
	f, err := os.Open(filepath.Join(a.dst, "MANIFEST"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if _, id, ok := strings.Cut(sc.Text(), "\t"); ok {
			ids = append(ids, id)
		}
	}
	return ids, sc.Err()
}

// ImportBundle reads a legacy export bundle: a zip of plain JSON snapshots.
func ImportBundle(path string) ([]doc.Snapshot, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", path, err)
	}
	var out []doc.Snapshot
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, ".json") {
			continue
		}
		snap, err := func() (doc.Snapshot, error) {
			rc, err := zf.Open()
			if err != nil {
				return doc.Snapshot{}, err
			}
			defer rc.Close()
			var s doc.Snapshot
			err = json.NewDecoder(io.LimitReader(rc, 64<<20)).Decode(&s)
			return s, err
		}()
		if err != nil {
			return out, fmt.Errorf("bundle %s: %s: %w", path, zf.Name, err)
		}
		out = append(out, snap)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// ReplayStats summarises a journal replay.
type ReplayStats struct {
	Docs    int
	Ops     int
	Skipped int
}

// Log writes the summary through logf.
func (s ReplayStats) Log(logf func(format string, args ...any)) {
	logf("snapshot: replayed %d ops into %d documents (%d skipped)", s.Ops, s.Docs, s.Skipped)
}

// Replayer rebuilds documents of a store from their journals.
type Replayer struct {
	store *doc.Store
	dir   string
	logf  func(format string, args ...any)
	stats ReplayStats
}

// NewReplayer returns a replayer reading journals from dir.
func NewReplayer(store *doc.Store, dir string) *Replayer {
	return &Replayer{store: store, dir: dir, logf: log.Printf}
}

// Stats returns the counters so far.
func (r *Replayer) Stats() ReplayStats { return r.stats }

// Run replays the journal of every document in ids and logs a summary.
func (r *Replayer) Run(ids []string) error {
	defer r.Stats().Log(r.logf) // HAZ defer-call-chain
	for _, id := range ids {
		d, ok := r.store.Get(id)
		if !ok {
			r.stats.Skipped++
			continue
		}
		ops, err := ReadJournal(filepath.Join(r.dir, id+JournalExt))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		if err := r.apply(d, ops); err != nil {
			return fmt.Errorf("replay %s: %w", id, err)
		}
		r.stats.Docs++
	}
	return nil
}

// apply submits ops that are newer than the document.
func (r *Replayer) apply(d *doc.Document, ops []ot.Op) error {
	v := d.Version()
	for _, op := range ops {
		if op.Base < v {
			r.stats.Skipped++
			continue
		}
		if _, err := d.Submit(op); err != nil {
			return err
		}
		r.stats.Ops++
	}
	return nil
}

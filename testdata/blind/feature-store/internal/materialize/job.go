package materialize

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"example.com/featurestore/internal/cache"
	"example.com/featurestore/internal/metrics"
	"example.com/featurestore/internal/trace"
)

// Config configures a Materializer.
type Config struct {
	View      string    // feature view name, the cache key prefix
	SourceDir string    // partition files
	OutDir    string    // published snapshots, one directory per run
	Workers   int       // concurrent partition readers
	LockFile  string    // optional: serialises runs across processes
	StatsOut  io.Writer // where RunOnce publishes its stats; default stderr
	Upload    []string  // optional: command that reads a snapshot on stdin
}

// ManifestEntry describes one published partition.
type ManifestEntry struct {
	Partition string `json:"partition"`
	Rows      int    `json:"rows"`
	SHA256    string `json:"sha256,omitempty"`
}

// Materializer loads partitions into the online store and publishes
// snapshots of them.
type Materializer struct {
	cfg     Config
	store   *cache.Store
	metrics *metrics.Registry
}

// New returns a Materializer.
func New(cfg Config, store *cache.Store, m *metrics.Registry) *Materializer {
	if cfg.StatsOut == nil {
		cfg.StatsOut = os.Stderr
	}
	if cfg.View == "" {
		cfg.View = "default"
	}
	return &Materializer{cfg: cfg, store: store, metrics: m}
}

// Run loads every partition of the source directory, then publishes them.
func (m *Materializer) Run(ctx context.Context) error {
	start := time.Now()
	defer m.metrics.Observe("materialize.run", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	paths, err := ListPartitions(m.cfg.SourceDir)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return fmt.Errorf("materialize: no partitions in %s", m.cfg.SourceDir)
	}
	groups, err := LoadConcurrent(ctx, paths, m.cfg.Workers)
	if err != nil {
		return err
	}
	m.metrics.Inc("materialize.keys", int64(m.loadParallel(groups)))
	return m.Publish(ctx, groups, paths)
}

// RunLocked is Run under the cross-process lock file, when one is set.
func (m *Materializer) RunLocked(ctx context.Context) error {
	release := func() {}
	if m.cfg.LockFile != "" {
		r, err := acquireRunLock(m.cfg.LockFile)
		if err != nil {
			return err
		}
		release = r
	}
	defer release()
	return m.Run(ctx)
}

func acquireRunLock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("materialize: lock %s: %w", path, err)
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return func() { _ = os.Remove(path) }, nil
}

// RunOnce loads an explicit list of partitions without publishing, and
// reports the store's stats afterwards.
func (m *Materializer) RunOnce(ctx context.Context, paths []string) error {
	defer m.metrics.Snapshot().Publish(m.cfg.StatsOut) // HAZ defer-call-chain
	if err := ctx.Err(); err != nil {
		return err
	}
	groups, err := ReadPartitions(paths)
	if err != nil {
		return err
	}
	m.metrics.Inc("materialize.keys", int64(m.loadSafely(groups)))
	return nil
}

// load writes the latest value of every (entity, feature) to the store and
// returns how many keys it stored.
func (m *Materializer) load(groups []*RowGroup) int {
	type latest struct {
		ts  int64
		val float64
	}
	newest := make(map[string]latest)
	for _, g := range groups {
		for _, c := range g.Columns {
			for i, id := range g.EntityIDs {
				key := m.cfg.View + "/" + id + "/" + c.Name
				if cur, ok := newest[key]; !ok || g.Timestamps[i] >= cur.ts {
					newest[key] = latest{ts: g.Timestamps[i], val: c.Values[i]}
				}
			}
		}
	}
	values := make(map[string][]byte, len(newest))
	var version int64
	for k, l := range newest {
		values[k] = encodeValue(l.val, l.ts)
		version = max(version, l.ts)
	}
	return m.store.PutMany(values, version)
}

// encodeValue is the online wire form of one feature value: float64 bits
// then the event timestamp, both big-endian.
func encodeValue(v float64, ts int64) []byte {
	buf := make([]byte, 16)
	binary.BigEndian.PutUint64(buf[:8], math.Float64bits(v))
	binary.BigEndian.PutUint64(buf[8:], uint64(ts))
	return buf
}

// Publish writes the snapshot, its checksum and a manifest into a staging
// directory and renames it into place.
func (m *Materializer) Publish(ctx context.Context, groups []*RowGroup, sources []string) error {
	staging, err := os.MkdirTemp(m.cfg.OutDir, ".staging-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(staging) // HAZ defer-blocking-call
	snap := filepath.Join(staging, "snapshot.fspq.gz")
	if err := WriteSnapshot(snap, groups); err != nil {
		return err
	}
	sum, err := fileSHA256(snap)
	if err != nil {
		return err
	}
	if err := writeChecksum(snap+".sha256", sum); err != nil {
		return err
	}
	entries := make([]ManifestEntry, len(groups))
	for i, g := range groups {
		entries[i] = ManifestEntry{Partition: filepath.Base(sources[i]), Rows: g.Rows()}
	}
	entries = append(entries, ManifestEntry{Partition: "snapshot.fspq.gz", SHA256: hex.EncodeToString(sum)})
	if err := m.writeManifest(filepath.Join(staging, "manifest.json"), entries); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return os.Rename(staging, filepath.Join(m.cfg.OutDir, time.Now().UTC().Format("20060102T150405Z")))
}

func (m *Materializer) writeManifest(path string, entries []ManifestEntry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

// Compact removes all but the newest keep published snapshots.
func (m *Materializer) Compact(keep int) (int, error) {
	defer trace.Span("materialize.compact") // HAZ defer-func-result-not-called
	ents, err := os.ReadDir(m.cfg.OutDir)
	if err != nil {
		return 0, err
	}
	var runs []string
	for _, e := range ents {
		if e.IsDir() && e.Name()[0] != '.' {
			runs = append(runs, e.Name())
		}
	}
	slices.Sort(runs)
	removed := 0
	for len(runs) > keep {
		if err := os.RemoveAll(filepath.Join(m.cfg.OutDir, runs[0])); err != nil {
			return removed, err
		}
		log.Printf("materialize: compacted %s", runs[0])
		runs = runs[1:]
		removed++
	}
	return removed, nil
}

// ExportSnapshot streams the given partitions as one snapshot to w.
func (m *Materializer) ExportSnapshot(w io.Writer, paths []string) error {
	defer trace.Span("materialize.export")()
	var groups []*RowGroup
	err := ScanPartitions(paths, func(_ string, rg *RowGroup) error {
		groups = append(groups, rg)
		return nil
	})
	if err != nil {
		return err
	}
	return EncodeSnapshot(w, groups)
}

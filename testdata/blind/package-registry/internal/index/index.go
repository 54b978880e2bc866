// Package index keeps the registry's catalogue of module versions in memory
// and persists it as JSON lines.
package index

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Entry is one module version known to the registry.
type Entry struct {
	Module  string    `json:"module"`
	Version string    `json:"version"`
	Digest  string    `json:"digest"`
	Size    int64     `json:"size"`
	Time    time.Time `json:"time"`
}

// Index maps modules to their versions, sorted oldest first.
type Index struct {
	mu       sync.RWMutex
	byModule map[string][]Entry
	updated  time.Time
}

// New returns an empty index.
func New() *Index {
	return &Index{byModule: make(map[string][]Entry)}
}

// compareVersions orders semantic versions "vMAJOR.MINOR.PATCH[-pre]";
// anything unparsable sorts by plain string comparison.
func compareVersions(a, b string) int {
	pa, oka := parseSemver(a)
	pb, okb := parseSemver(b)
	if !oka || !okb {
		return strings.Compare(a, b)
	}
	for i := range pa.nums {
		if pa.nums[i] != pb.nums[i] {
			if pa.nums[i] < pb.nums[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case pa.pre == pb.pre:
		return 0
	case pa.pre == "":
		return 1
	case pb.pre == "":
		return -1
	}
	return strings.Compare(pa.pre, pb.pre)
}

type semver struct {
	nums [3]int
	pre  string
}

// parseSemver splits v into its numeric parts and pre-release suffix.
func parseSemver(v string) (semver, bool) {
	var sv semver
	rest, ok := strings.CutPrefix(v, "v")
	if !ok {
		return sv, false
	}
	rest, sv.pre, _ = strings.Cut(rest, "-")
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return sv, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return sv, false
		}
		sv.nums[i] = n
	}
	return sv, true
}

// Add inserts or replaces e.
func (x *Index) Add(e Entry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	es := x.byModule[e.Module]
	i := sort.Search(len(es), func(i int) bool { return compareVersions(es[i].Version, e.Version) >= 0 })
	if i < len(es) && es[i].Version == e.Version {
		es[i] = e
	} else {
		es = slices.Insert(es, i, e)
	}
	x.byModule[e.Module] = es
	x.updated = time.Now()
}

// Versions returns the versions of mod, oldest first.
func (x *Index) Versions(mod string) []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := make([]string, 0, len(x.byModule[mod]))
	for _, e := range x.byModule[mod] {
		out = append(out, e.Version)
	}
	return out
}

// Latest returns the highest version of mod.
func (x *Index) Latest(mod string) (Entry, bool) {
	x.mu.RLock() // HAZ lock-leaked-on-return
	es := x.byModule[mod]
	if len(es) == 0 {
		return Entry{}, false
	}
	e := es[len(es)-1]
	x.mu.RUnlock()
	return e, true
}

// Lookup returns the entry for mod@ver.
func (x *Index) Lookup(mod, ver string) (Entry, bool) {
	x.mu.RLock()
	for _, e := range x.byModule[mod] {
		if e.Version == ver {
			x.mu.RUnlock()
			return e, true
		}
	}
	x.mu.RUnlock()
	return Entry{}, false
}

// Modules returns the module paths in sorted order.
func (x *Index) Modules() []string {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.sortedModules()
}

// sortedModules lists the modules; the caller holds x.mu.
func (x *Index) sortedModules() []string {
	mods := make([]string, 0, len(x.byModule))
	for m := range x.byModule {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	return mods
}

// VersionCount returns the number of module versions.
func (x *Index) VersionCount() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := 0
	for _, es := range x.byModule {
		n += len(es)
	}
	return n
}

// Stats summarises the index for the status page.
func (x *Index) Stats() (modules, versions int, updated time.Time) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.byModule), x.VersionCount(), x.updated // HAZ lock-reentry-under-defer
}

// FillDigests completes entries recorded before digests were tracked,
// asking lookup for each missing digest. It returns how many it filled.
func (x *Index) FillDigests(lookup func(mod, ver string) string) int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	n := 0
	for _, es := range x.byModule {
		for _, e := range es {
			if e.Digest != "" {
				continue
			}
			if e.Digest = lookup(e.Module, e.Version); e.Digest != "" {
				x.Add(e) // HAZ lock-reentry-under-defer
				n++
			}
		}
	}
	return n
}

// Replace swaps in the content of fresh, e.g. after a full rebuild.
func (x *Index) Replace(fresh *Index) {
	snap := fresh.Snapshot()
	x.mu.Lock()
	defer x.mu.Unlock()
	x.byModule = snap.byModule
	x.updated = time.Now()
}

// Snapshot returns a deep copy of x.
func (x *Index) Snapshot() *Index {
	x.mu.RLock()
	defer x.mu.RUnlock()
	c := &Index{byModule: make(map[string][]Entry, len(x.byModule)), updated: x.updated}
	for m, es := range x.byModule {
		c.byModule[m] = slices.Clone(es)
	}
	return c
}

// Referenced returns the set of digests any entry points at.
func (x *Index) Referenced() map[string]bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	refs := make(map[string]bool)
	for _, es := range x.byModule {
		for _, e := range es {
			refs[e.Digest] = true
		}
	}
	return refs
}

// SaveTo writes the index as JSON lines to path, atomically: a temp file in
// the same directory is synced and renamed over path, and the previous
// generation is kept as path+".prev".
func (x *Index) SaveTo(path string) (err error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".index-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	enc := json.NewEncoder(bw)
	for _, mod := range x.sortedModules() {
		for _, e := range x.byModule[mod] {
			if err = enc.Encode(e); err != nil {
				return err
			}
		}
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(path, path+".prev"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ExportTSV writes "module<TAB>version<TAB>digest" lines for spreadsheet
// users of the admin page.
func (x *Index) ExportTSV(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, mod := range x.Modules() {
		x.mu.RLock()
		es := slices.Clone(x.byModule[mod])
		x.mu.RUnlock()
		for _, e := range es {
			if _, err := fmt.Fprintf(bw, "%s\t%s\t%s\n", e.Module, e.Version, e.Digest); err != nil {
				return err
			}
		}
	}
	return nil
}

// Load reads an index written by SaveTo. If the file is damaged (a crash on
// a filesystem without atomic rename), it falls back to the previous
// generation.
func Load(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	x, err := decode(f)
	if err != nil {
		f, err = os.Open(path + ".prev")
		if err != nil {
			return nil, err
		}
		if x, err = decode(f); err != nil {
			return nil, fmt.Errorf("index: %s and its previous generation are damaged: %w", path, err)
		}
	}
	return x, nil
}

// decode reads JSON lines into a new index.
func decode(r io.Reader) (*Index, error) {
	x := New()
	dec := json.NewDecoder(r)
	for {
		var e Entry
		err := dec.Decode(&e)
		if errors.Is(err, io.EOF) {
			return x, nil
		}
		if err != nil {
			return nil, fmt.Errorf("index: decode: %w", err)
		}
		x.Add(e)
	}
}

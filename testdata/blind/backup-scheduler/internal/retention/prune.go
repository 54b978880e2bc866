// Package retention decides which archives to keep and deletes the rest.
package retention

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/backupsched/internal/trace"
)

const timeLayout = "20060102T150405Z"

// Policy says which archives of a target to keep: the newest KeepLast ones,
// and any younger than KeepWithin.
type Policy struct {
	KeepLast   int
	KeepWithin time.Duration
}

// Archive is a local archive file.
type Archive struct {
	Path    string
	Target  string
	Created time.Time
	Size    int64
}

// ArchiveName returns the file name of target's archive created at t.
func ArchiveName(target string, t time.Time) string {
	return target + "-" + t.UTC().Format(timeLayout) + ".tar.gz"
}

// ParseArchiveName is the inverse of ArchiveName.
func ParseArchiveName(name string) (target string, created time.Time, ok bool) {
	base, found := strings.CutSuffix(name, ".tar.gz")
	if !found {
		return "", time.Time{}, false
	}
	i := strings.LastIndexByte(base, '-')
	if i <= 0 {
		return "", time.Time{}, false
	}
	created, err := time.Parse(timeLayout, base[i+1:])
	if err != nil {
		return "", time.Time{}, false
	}
	return base[:i], created, true
}

// List returns target's archives in dir, newest first.
func List(dir, target string) ([]Archive, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Archive
	for _, e := range ents {
		t, created, ok := ParseArchiveName(e.Name())
		if !ok || t != target {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return nil, err
		}
		out = append(out, Archive{Path: filepath.Join(dir, e.Name()), Target: t, Created: created, Size: info.Size()})
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Created.After(out[k].Created) })
	return out, nil
}

// Select splits archives (newest first) into those p keeps and those it drops.
func Select(archives []Archive, p Policy, now time.Time) (keep, drop []Archive) {
	for i, a := range archives {
		if i < p.KeepLast || (p.KeepWithin > 0 && now.Sub(a.Created) < p.KeepWithin) {
			keep = append(keep, a)
		} else {
			drop = append(drop, a)
		}
	}
	return keep, drop
}

// Prune deletes target's archives in dir that p does not keep, with their
// index files, and returns the deleted paths. With dryRun it only reports.
func Prune(dir, target string, p Policy, now time.Time, dryRun bool) ([]string, error) {
	defer trace.Region("prune " + target)()
	archives, err := List(dir, target)
	if err != nil {
		return nil, err
	}
	_, drop := Select(archives, p, now)
	var removed []string
	for _, a := range drop {
		if !dryRun {
			if err := os.Remove(a.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return removed, err
			}
			if err := os.Remove(a.Path + ".idx"); err != nil && !errors.Is(err, fs.ErrNotExist) {
				log.Printf("prune %s: %v", target, err)
			}
		}
		removed = append(removed, a.Path)
	}
	return removed, nil
}

// PruneTargets prunes several targets in parallel.
func PruneTargets(dir string, targets map[string]Policy, now time.Time) (map[string][]string, error) {
	var (
		mu      sync.Mutex
		wg      sync.WaitGroup
		removed = make(map[string][]string)
		errs    []error
	)
	for target, p := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			paths, err := Prune(dir, target, p, now, false)
			if err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", target, err))
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			mu.Lock()
			removed[target] = paths
			mu.Unlock()
		}()
	}
	wg.Wait()
	return removed, errors.Join(errs...)
}

// TargetCount is a target and how many archives it has.
type TargetCount struct {
	Target string
	Count  int
}

// PruneBusiest prunes at most limit targets from counts (sorted busiest
// first) in parallel and returns how many it pruned.
func PruneBusiest(dir string, counts []TargetCount, p Policy, now time.Time, limit int) int {
	var wg sync.WaitGroup
	n := 0
	for n = 0; n < len(counts) && n < limit; n++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := Prune(dir, counts[n].Target, p, now, false); err != nil {
				log.Printf("prune %s: %v", counts[n].Target, err)
			}
		}()
	}
	wg.Wait()
	return n
}

// PruneEach prunes each target in parallel with the same policy and returns
// the number of archives removed per target, in the order of targets.
func PruneEach(dir string, targets []string, p Policy, now time.Time) []int {
	counts := make([]int, len(targets))
	var wg sync.WaitGroup
	for i := 0; i < len(targets); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			removed, err := Prune(dir, targets[i], p, now, false)
			if err != nil {
				log.Printf("prune %s: %v", targets[i], err)
			}
			counts[i] = len(removed)
		}()
	}
	wg.Wait()
	return counts
}

// PruneWithAudit prunes target and reports the outcome to audit.
func PruneWithAudit(dir, target string, p Policy, now time.Time, audit func(target string, removed int, err error)) error {
	var removed []string
	var err error
	defer audit(target, len(removed), err) // HAZ defer-eager-evaluation
	removed, err = Prune(dir, target, p, now, false)
	if err != nil {
		return fmt.Errorf("prune %s: %w", target, err)
	}
	return nil
}

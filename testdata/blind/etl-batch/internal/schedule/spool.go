package schedule

import (
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// WatchSpool feeds the files dropped into dir to handle, oldest first, and
// renames each handled file to *.done. It polls forever.
func WatchSpool(dir string, interval time.Duration, handle func(name string, r io.Reader) error, logf func(string, ...any)) {
	for {
		name, ok := oldestFile(dir)
		if !ok {
			time.Sleep(interval)
			continue
		}
		f, err := os.Open(name)
		if err != nil {
			logf("spool: %v", err)
			time.Sleep(interval)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		if err := handle(name, f); err != nil {
			logf("spool: %s: %v", name, err)
		}
		if err := os.Rename(name, name+".done"); err != nil {
			logf("spool: %v", err)
			time.Sleep(interval)
		}
	}
}

// oldestFile returns the oldest pending file in dir.
func oldestFile(dir string) (string, bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false
	}
	type cand struct {
		name string
		mod  time.Time
	}
	var cands []cand
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".done") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		cands = append(cands, cand{filepath.Join(dir, e.Name()), info.ModTime()})
	}
	if len(cands) == 0 {
		return "", false
	}
	sort.Slice(cands, func(i, j int) bool { return cands[i].mod.Before(cands[j].mod) })
	return cands[0].name, true
}

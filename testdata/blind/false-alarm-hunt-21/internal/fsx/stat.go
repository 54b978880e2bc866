package fsx

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// StatAll stats at most limit of paths concurrently. It returns the infos of
// the paths it scheduled (nil for paths that could not be stat'ed) and
// whether the list was cut short by limit.
func StatAll(paths []string, limit int) ([]fs.FileInfo, bool) {
	infos := make([]fs.FileInfo, len(paths))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(paths) && i < limit; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			infos[i], _ = os.Stat(paths[i])
		}()
	}
	wg.Wait()
	return infos[:i], i < len(paths)
}

// LstatAll lstats every path concurrently; nil marks a path that could not be
// read.
func LstatAll(paths []string) []fs.FileInfo {
	infos := make([]fs.FileInfo, len(paths))
	var wg sync.WaitGroup
	for i := 0; i < len(paths); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			infos[i], _ = os.Lstat(paths[i])
		}()
	}
	wg.Wait()
	return infos
}

// NewestModTime returns the latest modification time of any regular file
// under root; generators use it to skip up-to-date outputs.
func NewestModTime(root string) (time.Time, error) {
	var newest time.Time
	err := filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		return nil
	})
	return newest, err
}

//go:build unix

package server

import (
	"errors"
	"os"
	"sync"
)

// SyncDirs fsyncs directories in parallel. A rename done by an upload is
// only durable once its parent directory has been synced.
func SyncDirs(dirs []string) error {
	errs := make([]error, len(dirs))
	var wg sync.WaitGroup
	for i, d := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := os.Open(d)
			if err != nil {
				errs[i] = err
				return
			}
			defer f.Close()
			errs[i] = f.Sync()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

//go:build unix

package wal

import "errors"

// SyncDirs fsyncs several directories concurrently, e.g. after a
// compaction that renamed files in more than one of them.
func SyncDirs(dirs []string) error {
	errc := make(chan error, len(dirs))
	for _, d := range dirs {
		go func() {
			errc <- syncDir(d)
		}()
	}
	var errs []error
	for range dirs {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}

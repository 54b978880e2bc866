//go:build linux || darwin

package loops

import (
	"fmt"
	"os"
	"sync"
	"syscall"
)

// StatAll stats paths concurrently; the build constraint names platforms,
// not a Go version, so the module's go 1.22 loop semantics apply.
func StatAll(paths []string) ([]os.FileInfo, []error) {
	infos := make([]os.FileInfo, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			infos[i], errs[i] = os.Stat(p)
		}()
	}
	wg.Wait()
	return infos, errs
}

// WithFileLocks takes an advisory flock on each path in turn; the lock and
// the file are released at the end of each iteration's literal.
func WithFileLocks(paths []string, fn func(path string, f *os.File) error) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
				return fmt.Errorf("flock %s: %w", p, err)
			}
			defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			return fn(p, f)
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

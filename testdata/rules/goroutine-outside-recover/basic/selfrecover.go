package outsiderecover

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// hashDir turns its own panics into its error.
func hashDir(dir string) (n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("hash %s: panic: %v", dir, p)
		}
	}()
	entries, err := os.ReadDir(dir)
	return len(entries), err
}

func countDir(dir string) int {
	entries, _ := os.ReadDir(dir)
	return len(entries)
}

// Each goroutine's work is a call of a function that recovers by itself, its argument built by
// another package: nothing it runs can crash the process.
func hashDirs(root string, dirs []string) (total int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	errc := make(chan error, len(dirs))
	for _, d := range dirs {
		go func() {
			_, err := hashDir(filepath.Join(root, d))
			errc <- err
		}()
	}
	var errs []error
	for range dirs {
		errs = append(errs, <-errc)
	}
	return len(dirs), errors.Join(errs...)
}

// A function of the package without a recover beside it: reported.
func countDirs(root string, dirs []string) (total int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	counts := make(chan int, len(dirs))
	for _, d := range dirs {
		go func() { // want `countDirs protects itself with a deferred recover \(line \d+\), but the goroutine started on line \d+ has no recover of its own`
			counts <- countDir(filepath.Join(root, d))
		}()
	}
	for range dirs {
		total += <-counts
	}
	return total, nil
}

// Package suite holds tests shared by several storage back ends, outside _test.go files.
package suite

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

type layout struct{ base string }

func (l *layout) destroy() error { return os.RemoveAll(l.base) }

// Shared test code waits and cleans up in defers on purpose, as _test.go files do.
func RunWrites(t *testing.T, write func(path string) error) {
	l := &layout{base: t.TempDir()}
	defer l.destroy()
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := write(filepath.Join(l.base, string(rune('a'+i)))); err != nil {
				t.Error(err)
			}
		}()
	}
}

// The same in a benchmark helper, through testing.TB.
func Settle(tb testing.TB) {
	defer time.Sleep(10 * time.Millisecond)
	tb.Log("settling")
}

// Code of the same package that is no test helper is still checked.
func Flush(dir string) error {
	defer os.RemoveAll(dir) // want `deferred os\.RemoveAll\(dir\) deletes a whole directory tree`
	return os.WriteFile(filepath.Join(dir, "x"), nil, 0o600)
}

package exits

import (
	"log"
	"os"
	"path/filepath"
)

type lockFile struct{ path string }

func (l *lockFile) Release() { _ = os.Remove(l.path) }

func acquire(dir string) (*lockFile, error) {
	p := filepath.Join(dir, "run.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	return &lockFile{path: p}, f.Close()
}

// The exit is held in a local variable: calling it ends the process all the same, and the lock
// file is left behind.
func migrateAll(dir string, files []string, apply func(string) error) {
	logger := log.New(os.Stderr, "migrate ", 0)
	fatal := logger.Fatalf
	lock, err := acquire(dir)
	if err != nil {
		fatal("lock: %v", err)
	}
	defer lock.Release()
	for _, f := range files {
		if err := apply(f); err != nil {
			fatal("apply %s: %v", f, err) // want `\(\*log\.Logger\)\.Fatalf ends the process here in migrateAll while the deferred lock\.Release\(\) \(line \d+\) is pending`
		}
	}
}

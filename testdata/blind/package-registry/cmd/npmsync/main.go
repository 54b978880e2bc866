// Command npmsync runs one sync pass of the npm mirror, for cron. A pid file
// keeps two passes from overlapping.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"example.com/registry/internal/npm"
)

func main() {
	registry := flag.String("registry", "https://registry.npmjs.org", "upstream npm registry")
	fallback := flag.String("fallback", "", "registry asked for packages the upstream lacks")
	dir := flag.String("dir", "/var/lib/npm-mirror", "mirror directory")
	since := flag.Duration("since", 24*time.Hour, "sync packages changed within this window")
	flag.Parse()
	logger := log.New(os.Stderr, "npmsync ", log.LstdFlags|log.Lmsgprefix)

	pidPath := filepath.Join(*dir, "npmsync.pid")
	if err := writePID(pidPath); err != nil {
		logger.Fatalf("%v", err)
	}
	defer os.Remove(pidPath)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	m := npm.NewMirror(*registry, *fallback, *dir, logger)
	if err := m.LoadIndex(); err != nil {
		logger.Fatalf("load index: %v", err) // HAZ exit-skips-defer
	}
	if err := m.SyncAll(ctx, time.Now().Add(-*since)); err != nil {
		logger.Printf("sync: %v", err)
	}
	if err := m.WriteIndex(); err != nil {
		logger.Printf("write index: %v", err)
	}
}

// writePID creates the pid file, refusing to run while another pass is alive.
func writePID(path string) error {
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
		if pid > 0 && syscall.Kill(pid, 0) == nil {
			return fmt.Errorf("another npmsync (pid %d) is running", pid)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	return os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644)
}

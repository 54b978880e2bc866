// Command fahwatch compresses files that appear in a spool directory.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/fah29/internal/spool"
)

func main() {
	dir := flag.String("dir", "spool", "directory to watch")
	out := flag.String("out", "archive", "directory for compressed files")
	every := flag.Duration("every", 5*time.Second, "poll interval")
	flag.Parse()

	lock := filepath.Join(*dir, ".fahwatch.lock")
	if err := os.WriteFile(lock, []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(lock)

	paths := make(chan string, 16)
	a := spool.NewArchiver(paths, *out, slog.Default())
	go func() {
		if err := a.Run(context.Background()); err != nil {
			slog.Error("archiver stopped", "err", err)
		}
	}()
	go watch(*dir, *every, paths)
	select {} // HAZ signal-skips-defer
}

// watch sends every regular file that appears in dir to out, once.
func watch(dir string, every time.Duration, out chan<- string) {
	seen := make(map[string]bool)
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		entries, err := os.ReadDir(dir)
		if err != nil {
			slog.Warn("watch", "dir", dir, "err", err)
			continue
		}
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || strings.HasPrefix(name, ".") || seen[name] {
				continue
			}
			seen[name] = true
			out <- filepath.Join(dir, name)
		}
	}
}

// Command release-watch polls a repository for new release tags and runs
// "relcli release" for each one.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/releasecli/internal/build"
)

type watcher struct {
	repo     string
	log      *log.Logger
	mu       sync.Mutex
	seen     map[string]bool
	released []string
}

// tags lists the release tags (v*) of the repository.
func (w *watcher) tags(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "tag", "--list", "v*")
	cmd.Dir = w.repo
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git tag: %w", err)
	}
	var tags []string
	for _, t := range strings.Fields(string(out)) {
		if _, ok := parseTag(t); ok {
			tags = append(tags, t)
		}
	}
	sort.Strings(tags)
	return tags, nil
}

// newTags returns the tags not seen before and marks them as seen.
func (w *watcher) newTags(all []string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var fresh []string
	for _, t := range all {
		if !w.seen[t] {
			w.seen[t] = true
			fresh = append(fresh, t)
		}
	}
	return fresh
}

func (w *watcher) release(ctx context.Context, tag string) error {
	cmd := exec.CommandContext(ctx, "relcli", "release")
	cmd.Dir = w.repo
	cmd.Env = append(os.Environ(), "RELCLI_VERSION="+tag)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("release %s: %w", tag, err)
	}
	w.mu.Lock()
	w.released = append(w.released, tag)
	w.mu.Unlock()
	return nil
}

// parseTag splits "v1.2.3" into its numbers; ok is false for other tags.
func parseTag(tag string) (v [3]int, ok bool) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	parts := strings.SplitN(strings.TrimPrefix(tag, "v"), ".", 3)
	for i := range v {
		n, err := strconv.Atoi(strings.SplitN(parts[i], "-", 2)[0])
		if err != nil {
			return v, false
		}
		v[i] = n
	}
	return v, true
}

type watchStats struct {
	seen     int
	released int
}

func (s watchStats) Log(l *log.Logger) {
	l.Printf("poll: %d tags seen, %d released", s.seen, s.released)
}

func (w *watcher) stats() watchStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return watchStats{seen: len(w.seen), released: len(w.released)}
}

// releaseAll releases the given tags concurrently.
func (w *watcher) releaseAll(ctx context.Context, tags []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("release-watch: panic: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, tag := range tags {
		wg.Add(1)
		go func(tag string) { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := w.release(ctx, tag); err != nil {
				w.log.Print(err)
			}
		}(tag)
	}
	wg.Wait()
	return nil
}

// checkOnce polls the tags once and logs the counters afterwards.
func (w *watcher) checkOnce(ctx context.Context) error {
	defer w.stats().Log(w.log) // HAZ defer-call-chain
	all, err := w.tags(ctx)
	if err != nil {
		return err
	}
	return w.releaseAll(ctx, w.newTags(all))
}

func (w *watcher) pollTags(interval time.Duration) {
	t := time.NewTicker(interval)
	for range t.C {
		if err := w.checkOnce(context.Background()); err != nil {
			w.log.Print(err)
		}
	}
}

// tailLog copies new output of the relcli log to stdout, reopening the file
// after log rotation.
func (w *watcher) tailLog(path string, interval time.Duration) {
	var offset int64
	for {
		f, err := os.Open(path)
		if err != nil {
			time.Sleep(interval)
			continue
		}
		defer f.Close() // HAZ defer-in-loop defer-in-infinite-loop
		if fi, err := f.Stat(); err == nil && fi.Size() < offset {
			offset = 0
		}
		if _, err := f.Seek(offset, io.SeekStart); err == nil {
			n, _ := io.Copy(os.Stdout, f)
			offset += n
		}
		time.Sleep(interval)
	}
}

func (w *watcher) serveMetrics(addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		n, seen := len(w.released), len(w.seen)
		w.mu.Unlock()
		fmt.Fprintf(rw, "release_watch_releases_total %d\nrelease_watch_tags_seen %d\n", n, seen)
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		w.log.Printf("metrics: %v", err)
	}
}

func main() {
	repo := flag.String("repo", ".", "repository to watch")
	interval := flag.Duration("interval", time.Minute, "poll interval")
	metrics := flag.String("metrics", "127.0.0.1:9100", "metrics address")
	flag.Parse()

	logger := log.New(os.Stderr, "release-watch: ", log.LstdFlags)
	lock, err := build.AcquireLock(filepath.Join(*repo, "dist"))
	if err != nil {
		logger.Fatal(err)
	}
	defer lock.Release()

	w := &watcher{repo: *repo, log: logger, seen: make(map[string]bool)}
	initial, err := w.tags(context.Background())
	if err != nil {
		logger.Print(err)
		return
	}
	w.newTags(initial)
	go w.pollTags(*interval)
	go w.tailLog(filepath.Join(*repo, "dist", "relcli.log"), 2*time.Second)
	go w.serveMetrics(*metrics)
	select {} // HAZ signal-skips-defer
}

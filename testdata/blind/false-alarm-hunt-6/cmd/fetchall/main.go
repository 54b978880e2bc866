// Command fetchall downloads a list of URLs into a directory, several at a
// time, and writes a manifest with sizes and checksums.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/falsealarm6/internal/fetch"
	"example.com/falsealarm6/internal/fsutil"
)

type result struct {
	url  string
	file string
	n    int64
	err  error
}

func main() {
	listPath := flag.String("list", "-", "file with one URL per line, - for stdin")
	dir := flag.String("dir", "downloads", "output directory")
	parallel := flag.Int("p", 4, "parallel downloads")
	timeout := flag.Duration("timeout", 30*time.Second, "per request timeout")
	flag.Parse()

	urls, err := readList(*listPath)
	if err != nil {
		log.Fatalf("fetchall: %v", err)
	}
	if err := fsutil.EnsureDir(*dir); err != nil {
		log.Fatalf("fetchall: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	results := download(ctx, fetch.NewClient(*timeout), urls, *dir, *parallel)
	stop()
	if err := writeManifest(filepath.Join(*dir, "MANIFEST"), results); err != nil {
		log.Printf("fetchall: manifest: %v", err)
		os.Exit(1)
	}
	if failed := countFailed(results); failed > 0 {
		fmt.Fprintf(os.Stderr, "fetchall: %d of %d downloads failed\n", failed, len(results))
		os.Exit(1)
	}
}

// readList reads URLs from a file or stdin; stdin is never closed, the file
// is read-only.
func readList(p string) ([]string, error) {
	var r io.Reader = os.Stdin
	if p != "-" {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var urls []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if u := strings.TrimSpace(sc.Text()); u != "" && !strings.HasPrefix(u, "#") {
			urls = append(urls, u)
		}
	}
	return urls, sc.Err()
}

func fileName(u string, i int) string {
	base := path.Base(u)
	if base == "/" || base == "." || base == "" {
		base = "index"
	}
	return fmt.Sprintf("%04d-%s", i, base)
}

// download fetches every URL with at most n in flight. Results go into a
// slice indexed by position; all goroutines are joined before returning.
func download(ctx context.Context, c *fetch.Client, urls []string, dir string, n int) []result {
	out := make([]result, len(urls))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, u := range urls {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			out[i] = result{url: u, err: ctx.Err()}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			file := filepath.Join(dir, fileName(u, i))
			nb, err := c.Download(ctx, u, file)
			out[i] = result{url: u, file: file, n: nb, err: err}
		}()
	}
	wg.Wait()
	return out
}

// fetchAll is the old all-or-nothing mode: stop at the first failure.
func fetchAll(ctx context.Context, c *fetch.Client, urls []string, dir string) error {
	results := make(chan result)
	defer close(results) // HAZ defer-close-chan-with-sender
	for i, u := range urls {
		go func() {
			file := filepath.Join(dir, fileName(u, i))
			nb, err := c.Download(ctx, u, file)
			results <- result{url: u, file: file, n: nb, err: err}
		}()
	}
	for range urls {
		if r := <-results; r.err != nil {
			return fmt.Errorf("%s: %w", r.url, r.err)
		}
	}
	return nil
}

// fetchAllStrict is the corrected all-or-nothing mode: the channel has room
// for every sender and is never closed, and the remaining downloads are
// cancelled through ctx on the early return.
func fetchAllStrict(ctx context.Context, c *fetch.Client, urls []string, dir string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan result, len(urls))
	for i, u := range urls {
		go func() {
			file := filepath.Join(dir, fileName(u, i))
			nb, err := c.Download(ctx, u, file)
			results <- result{url: u, file: file, n: nb, err: err}
		}()
	}
	for range urls {
		if r := <-results; r.err != nil {
			return fmt.Errorf("%s: %w", r.url, r.err)
		}
	}
	return nil
}

func countFailed(rs []result) int {
	n := 0
	for _, r := range rs {
		if r.err != nil {
			n++
		}
	}
	return n
}

// writeManifest writes "size file url" lines sorted by file; Close is
// joined into the named result.
func writeManifest(p string, rs []result) (err error) {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	sorted := append([]result(nil), rs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].file < sorted[j].file })
	w := bufio.NewWriter(f)
	for _, r := range sorted {
		if r.err != nil {
			fmt.Fprintf(w, "# failed %s: %v\n", r.url, r.err)
			continue
		}
		fmt.Fprintf(w, "%d %s %s\n", r.n, filepath.Base(r.file), r.url)
	}
	return w.Flush()
}

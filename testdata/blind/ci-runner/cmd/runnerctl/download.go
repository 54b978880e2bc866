package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

func cmdDownload(args []string) int {
	fs := flag.NewFlagSet("download", flag.ExitOnError)
	dir := fs.String("dir", ".", "destination directory")
	parallel := fs.Int("j", 4, "parallel downloads")
	_ = fs.Parse(args)
	base := os.Getenv("ARTIFACT_URL")
	if base == "" || fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: ARTIFACT_URL=... runnerctl download [-dir d] [-j n] name...")
		return 2
	}
	c := &client{base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: 30 * time.Minute}}
	if err := c.downloadAll(context.Background(), fs.Args(), *dir, *parallel); err != nil {
		fmt.Fprintf(os.Stderr, "runnerctl: %v\n", err)
		return 1
	}
	return 0
}

// downloadAll fetches every artifact, parallel at a time.
func (c *client) downloadAll(ctx context.Context, names []string, dir string, parallel int) error {
	if parallel < 1 {
		parallel = 1
	}
	sem := make(chan struct{}, parallel)
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, name string) {
			defer wg.Done()
			defer func() { <-sem }()
			errs[i] = c.fetchTo(ctx, "/"+url.PathEscape(name), filepath.Join(dir, filepath.Base(name)))
		}(i, name)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// fetchTo downloads path into dst; a failed download leaves no file behind.
func (c *client) fetchTo(ctx context.Context, path, dst string) (err error) {
	resp, err := c.do(ctx, http.MethodGet, path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		err = errors.Join(err, f.Close())
		if err != nil {
			os.Remove(dst)
		}
	}()
	_, err = io.Copy(f, resp.Body)
	return err
}

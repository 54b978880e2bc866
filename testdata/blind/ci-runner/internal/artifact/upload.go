package artifact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Uploader stores artifacts in the artifact store over HTTP.
type Uploader struct {
	base     string
	token    string
	client   *http.Client
	parallel int
}

// NewUploader returns an uploader for the store at base.
func NewUploader(base, token string, parallel int) *Uploader {
	if parallel < 1 {
		parallel = 1
	}
	return &Uploader{
		base:     base,
		token:    token,
		client:   &http.Client{Timeout: 10 * time.Minute},
		parallel: parallel,
	}
}

func (u *Uploader) put(ctx context.Context, name string, body io.Reader, size int64, contentType string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.base+"/"+url.PathEscape(name), body)
	if err != nil {
		return err
	}
	if size >= 0 {
		req.ContentLength = size
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+u.token)
	resp, err := u.client.Do(req)
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		return fmt.Errorf("upload %s: %s", name, resp.Status)
	}
	return nil
}

// Upload stores the file at path under name.
func (u *Uploader) Upload(ctx context.Context, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	return u.put(ctx, name, f, info.Size(), "application/octet-stream")
}

// UploadAll uploads each file under its base name, u.parallel at a time,
// and returns all errors.
func (u *Uploader) UploadAll(ctx context.Context, paths []string) error {
	sem := make(chan struct{}, u.parallel)
	errc := make(chan error, len(paths))
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func(p string) {
			defer wg.Done()
			err := u.Upload(ctx, filepath.Base(p), p)
			<-sem
			if err != nil {
				errc <- err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}(p)
	}
	wg.Wait()
	close(errc)
	var errs []error
	for err := range errc {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// UploadArchive streams a tar.gz of files (relative to root) straight to
// the store, without a temporary file.
func (u *Uploader) UploadArchive(ctx context.Context, name, root string, files []string) error {
	pr, pw := io.Pipe()
	defer pr.Close()
	go func() {
		pw.CloseWithError(Pack(pw, root, files))
	}()
	return u.put(ctx, name, pr, -1, "application/gzip")
}

package pipeline

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Artifact is a file produced by a step.
type Artifact struct {
	Name string
	Path string
	Size int64
}

// Bundle zips artifacts into out. The zip writer is closed (and checked)
// before the file; the file's close error is joined into the result.
func Bundle(out string, arts []Artifact) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	for _, a := range arts {
		if err := addToZip(zw, a); err != nil {
			zw.Close()
			return fmt.Errorf("bundle %s: %w", a.Name, err)
		}
	}
	return zw.Close() // ok: checked on the success path
}

// addToZip copies one artifact into the archive.
func addToZip(zw *zip.Writer, a Artifact) error {
	src, err := os.Open(a.Path)
	if err != nil {
		return err
	}
	defer src.Close() // ok: read-only source, per-item helper
	w, err := zw.Create(a.Name)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}

// Manifest writes a CSV manifest of artifacts.
func Manifest(path string, arts []Artifact) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"name", "path", "size"}); err != nil {
		return err
	}
	for _, a := range arts {
		if err := cw.Write([]string{a.Name, a.Path, strconv.FormatInt(a.Size, 10)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error() // ok: the csv flush error is checked
}

// Collect stats the declared artifact paths of a step.
func Collect(dir string, patterns []string) ([]Artifact, error) {
	var out []Artifact
	for _, p := range patterns {
		matches, err := filepath.Glob(filepath.Join(dir, p))
		if err != nil {
			return nil, err
		}
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, err
			}
			if st.IsDir() {
				continue
			}
			out = append(out, Artifact{Name: filepath.Base(m), Path: m, Size: st.Size()})
		}
	}
	return out, nil
}

// Uploader sends artifacts to the artifact store.
type Uploader struct {
	Client  *http.Client
	BaseURL string
}

// Upload posts one artifact, closing the response body after the error check.
func (u *Uploader) Upload(ctx context.Context, a Artifact) error {
	f, err := os.Open(a.Path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u.BaseURL+"/"+a.Name, f)
	if err != nil {
		return err
	}
	req.ContentLength = a.Size
	resp, err := u.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("upload %s: HTTP %d: %s", a.Name, resp.StatusCode, msg)
	}
	return nil
}

// UploadAll uploads artifacts with a few in flight; results are buffered to
// the number of uploads.
func (u *Uploader) UploadAll(ctx context.Context, arts []Artifact, inflight int) error {
	sem := make(chan struct{}, inflight)
	errs := make(chan error, len(arts))
	for _, a := range arts {
		sem <- struct{}{}
		go func() {
			err := u.Upload(ctx, a)
			<-sem
			errs <- err
		}()
	}
	var all []error
	for range arts {
		if err := <-errs; err != nil {
			all = append(all, err)
		}
	}
	return errors.Join(all...)
}

// get issues a GET for an artifact.
func (u *Uploader) get(ctx context.Context, name string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.BaseURL+"/"+name, nil)
	if err != nil {
		return nil, err
	}
	return u.Client.Do(req)
}

// Fetch downloads an artifact into dst.
func (u *Uploader) Fetch(ctx context.Context, name, dst string) (err error) {
	resp, err := u.get(ctx, name)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch %s: HTTP %d", name, resp.StatusCode)
	}
	return writeFileFrom(dst, resp.Body)
}

// writeFileFrom streams r into path through a buffered writer; flush and
// close are both checked.
func writeFileFrom(path string, r io.Reader) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	if _, err := io.Copy(bw, r); err != nil {
		return err
	}
	return bw.Flush() // ok: explicit checked flush
}

// FetchChecked is Fetch with the close after the check.
func (u *Uploader) FetchChecked(ctx context.Context, name, dst string) error {
	resp, err := u.get(ctx, name)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch %s: HTTP %d", name, resp.StatusCode)
	}
	return writeFileFrom(dst, resp.Body)
}

package transfer

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sort"
)

// Uploader posts files as multipart/form-data.
type Uploader struct {
	Client   *http.Client
	Endpoint string
	Token    string
	Retry    RetryPolicy
	Log      *log.Logger
}

func (u *Uploader) client() *http.Client {
	if u.Client != nil {
		return u.Client
	}
	return http.DefaultClient
}

func (u *Uploader) logf(format string, args ...any) {
	if u.Log != nil {
		u.Log.Printf(format, args...)
	}
}

func (u *Uploader) logResult(what string, err error) {
	if err != nil {
		u.logf("%s: failed: %v", what, err)
		return
	}
	u.logf("%s: ok", what)
}

// UploadFile streams the file at path with extra form fields, retrying transient failures.
func (u *Uploader) UploadFile(ctx context.Context, path string, fields map[string]string) error {
	return u.Retry.Do(ctx, func(ctx context.Context) error {
		return u.uploadOnce(ctx, path, fields)
	})
}

func writeMultipart(mw *multipart.Writer, r io.Reader, name string, fields map[string]string) error {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := mw.WriteField(k, fields[k]); err != nil {
			return err
		}
	}
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(part, r); err != nil {
		return err
	}
	return mw.Close()
}

func (u *Uploader) uploadOnce(ctx context.Context, path string, fields map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	pr, pw := io.Pipe()
	defer pr.Close() // ok: unblocks the writer if the transport stops reading early
	mw := multipart.NewWriter(pw)
	go func() {
		pw.CloseWithError(writeMultipart(mw, f, filepath.Base(path), fields))
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.Endpoint, pr)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return u.send(req)
}

func (u *Uploader) send(req *http.Request) error {
	if u.Token != "" {
		req.Header.Set("Authorization", "Bearer "+u.Token)
	}
	resp, err := u.client().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return &StatusError{URL: req.URL.String(), Code: resp.StatusCode, Status: resp.Status}
	}
	return nil
}

// UploadBytes posts data as a multipart file; the body is buffered so retries can resend it.
func (u *Uploader) UploadBytes(ctx context.Context, name string, data []byte, fields map[string]string) error {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := writeMultipart(mw, bytes.NewReader(data), name, fields); err != nil {
		return err
	}
	body := buf.Bytes()
	return u.Retry.Do(ctx, func(ctx context.Context) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.Endpoint, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return u.send(req)
	})
}

// UploadDir uploads every regular file in dir.
func (u *Uploader) UploadDir(ctx context.Context, dir string) error {
	var err error
	defer u.logResult("upload "+dir, err) // HAZ defer-eager-evaluation
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err = u.UploadFile(ctx, filepath.Join(dir, e.Name()), map[string]string{"dir": filepath.Base(dir)}); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
	}
	return nil
}

// UploadFiles uploads paths in order and logs the outcome.
func (u *Uploader) UploadFiles(ctx context.Context, paths []string) (err error) {
	defer func() { u.logResult(fmt.Sprintf("upload %d files", len(paths)), err) }() // ok: reads err at exit
	for _, p := range paths {
		if err = u.UploadFile(ctx, p, nil); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	return nil
}

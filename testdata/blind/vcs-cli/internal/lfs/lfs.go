// Package lfs stores large files outside the object database: the working
// copy and the history keep a small pointer, the content lives under
// .vcs/lfs/objects and on an HTTP transfer server.
package lfs

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

const pointerHeader = "version https://vcs.example.com/lfs/v1"

// Pointer is the stand-in committed instead of a large file.
type Pointer struct {
	OID  string // hex SHA-256 of the content
	Size int64
}

// ParsePointer recognises a pointer file.
func ParsePointer(data []byte) (Pointer, bool) {
	if len(data) > 512 || !bytes.HasPrefix(data, []byte(pointerHeader+"\n")) {
		return Pointer{}, false
	}
	var p Pointer
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, val, _ := strings.Cut(sc.Text(), " ")
		switch key {
		case "oid":
			p.OID = strings.TrimPrefix(val, "sha256:")
		case "size":
			p.Size, _ = strconv.ParseInt(val, 10, 64)
		}
	}
	return p, len(p.OID) == 64
}

// Client transfers large files for one repository.
type Client struct {
	base   string
	dir    string // .vcs/lfs/objects
	hc     *http.Client
	logger *log.Logger

	mu       sync.Mutex
	inflight map[string]chan struct{}
}

// NewClient returns a client for the transfer server at base.
func NewClient(base, dir string, logger *log.Logger) *Client {
	return &Client{
		base:     strings.TrimRight(base, "/"),
		dir:      dir,
		hc:       &http.Client{Timeout: 10 * time.Minute},
		logger:   logger,
		inflight: make(map[string]chan struct{}),
	}
}

func (c *Client) localPath(oid string) string {
	return filepath.Join(c.dir, oid[:2], oid[2:4], oid)
}

func (c *Client) do(ctx context.Context, method, path string, body io.Reader) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/"+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/octet-stream")
	return c.hc.Do(req)
}

// Download fetches the content of p into the local object directory.
func (c *Client) Download(ctx context.Context, p Pointer) error {
	resp, err := c.do(ctx, http.MethodGet, "objects/"+p.OID, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("lfs: download %s: %s", p.OID[:12], resp.Status)
	}
	dst := c.localPath(p.OID)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.Create(dst + ".part")
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	h := sha256.New()
	if _, err := io.Copy(io.MultiWriter(f, h), resp.Body); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != p.OID {
		return fmt.Errorf("lfs: %s: content hashes to %s", p.OID[:12], got[:12])
	}
	return os.Rename(dst+".part", dst)
}

// Upload sends the local content of p to the server.
func (c *Client) Upload(ctx context.Context, p Pointer) error {
	f, err := os.Open(c.localPath(p.OID))
	if err != nil {
		return err
	}
	defer f.Close()
	resp, err := c.do(ctx, http.MethodPut, "objects/"+p.OID, f)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("lfs: upload %s: %w", p.OID[:12], err)
	}
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("lfs: upload %s: %s", p.OID[:12], resp.Status)
	}
	return nil
}

// DownloadAll fetches every pointer concurrently and returns the first
// failure.
func (c *Client) DownloadAll(ctx context.Context, ptrs []Pointer) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	for _, p := range ptrs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := c.fetchOnce(ctx, p); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
		c.logger.Printf("lfs: downloading %s (%d bytes)", p.OID[:12], p.Size)
	}
	wg.Wait()
	return first
}

// UploadAll sends every pointer concurrently.
func (c *Client) UploadAll(ctx context.Context, ptrs []Pointer) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(ptrs))
	for _, p := range ptrs {
		wg.Add(1)
		go func(p Pointer) {
			if p.Size == 0 {
				return // nothing to transfer for empty files
			}
			if err := c.Upload(ctx, p); err != nil {
				errs <- err
			}
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// fetchOnce downloads oid unless it is present or another goroutine is
// already downloading it, in which case it waits for that download.
func (c *Client) fetchOnce(ctx context.Context, p Pointer) error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if ch, ok := c.inflight[p.OID]; ok {
		c.mu.Unlock()
		select {
		case <-ch:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if _, err := os.Stat(c.localPath(p.OID)); err == nil {
		return nil
	}
	ch := make(chan struct{})
	c.inflight[p.OID] = ch
	c.mu.Unlock()

	err := c.Download(ctx, p)
	c.mu.Lock()
	delete(c.inflight, p.OID)
	c.mu.Unlock()
	close(ch)
	return err
}

// catch logs a panic raised while smudging a file.
func (c *Client) catch(path string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		c.logger.Printf("lfs: smudge %s: %v", path, r)
	}
}

// Smudge replaces pointer files in the working copy with their content.
func (c *Client) Smudge(ctx context.Context, root string, paths []string) error {
	for _, rel := range paths {
		c.catch(rel)
		full := filepath.Join(root, filepath.FromSlash(rel))
		data, err := os.ReadFile(full)
		if err != nil {
			return err
		}
		p, ok := ParsePointer(data)
		if !ok {
			continue
		}
		if err := c.fetchOnce(ctx, p); err != nil {
			return err
		}
		content, err := os.ReadFile(c.localPath(p.OID))
		if err != nil {
			return err
		}
		if err := os.WriteFile(full, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

type sized struct {
	oid  string
	size int64
	err  error
}

// RemoteSizes asks the server for the size of each object, giving up on
// the ones that have not answered after timeout.
func (c *Client) RemoteSizes(ctx context.Context, oids []string, timeout time.Duration) map[string]int64 {
	answers := make(chan sized, len(oids))
	defer close(answers) // HAZ defer-close-chan-with-sender
	for _, oid := range oids {
		go func(oid string) {
			resp, err := c.do(ctx, http.MethodHead, "objects/"+oid, nil)
			if err != nil {
				answers <- sized{oid: oid, err: err}
				return
			}
			resp.Body.Close()
			answers <- sized{oid: oid, size: resp.ContentLength}
		}(oid)
	}
	out := make(map[string]int64)
	deadline := time.After(timeout)
	for range oids {
		select {
		case a := <-answers:
			if a.err == nil {
				out[a.oid] = a.size
			}
		case <-deadline:
			return out
		}
	}
	return out
}

// Clean turns the content at path into a pointer, storing the content.
func (c *Client) Clean(path string) (Pointer, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if r := recover(); r != nil {
			err = fmt.Errorf("lfs: clean %s: %v", path, r)
		}
	}()
	data, err := os.ReadFile(path)
	if err != nil {
		return Pointer{}, err
	}
	sum := sha256.Sum256(data)
	p := Pointer{OID: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	dst := c.localPath(p.OID)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return Pointer{}, err
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		return Pointer{}, err
	}
	return p, nil
}

// ExportZip writes the content of ptrs into a zip archive, named by path.
func (c *Client) ExportZip(out string, files map[string]Pointer) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for name, p := range files {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		src, err := os.Open(c.localPath(p.OID))
		if err != nil {
			return err
		}
		_, err = io.Copy(w, src)
		src.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

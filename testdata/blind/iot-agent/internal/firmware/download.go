// Package firmware downloads signed images from the update server, verifies
// their checksums and installs them into the inactive A/B slot.
package firmware

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
)

// Manifest describes one firmware release.
type Manifest struct {
	Version string `json:"version"`
	URL     string `json:"url"`
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
}

// Validate checks the manifest's required fields.
func (m Manifest) Validate() error {
	switch {
	case m.Version == "":
		return errors.New("firmware: manifest without version")
	case m.URL == "":
		return fmt.Errorf("firmware: manifest %s without url", m.Version)
	case len(m.SHA256) != 64:
		return fmt.Errorf("firmware: manifest %s: bad sha256 %q", m.Version, m.SHA256)
	}
	return nil
}

// Downloader fetches manifests and images.
type Downloader struct {
	client    *http.Client
	base      string
	dir       string
	exclusive bool
}

// NewDownloader returns a downloader against base that stores images in dir.
// With exclusive set, downloads take a lock file in dir first.
func NewDownloader(client *http.Client, base, dir string, exclusive bool) *Downloader {
	if client == nil {
		client = http.DefaultClient
	}
	return &Downloader{client: client, base: base, dir: dir, exclusive: exclusive}
}

// Manifest fetches the manifest of version from the update server.
func (d *Downloader) Manifest(ctx context.Context, version string) (Manifest, error) {
	resp, err := d.get(ctx, d.base+"/manifest/"+url.PathEscape(version))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return Manifest{}, err
	}
	if resp.StatusCode != http.StatusOK {
		return Manifest{}, fmt.Errorf("firmware: manifest %s: %s", version, resp.Status)
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&m); err != nil {
		return Manifest{}, fmt.Errorf("firmware: manifest %s: %w", version, err)
	}
	return m, m.Validate()
}

// get issues a GET with the agent's identification headers.
func (d *Downloader) get(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "iot-agent/1")
	req.Header.Set("Accept", "application/json")
	return d.client.Do(req)
}

// manifestFrom fetches the latest manifest from one mirror.
func (d *Downloader) manifestFrom(ctx context.Context, mirror string) (Manifest, error) {
	resp, err := d.get(ctx, mirror+"/manifest/latest")
	if err != nil {
		return Manifest{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Manifest{}, fmt.Errorf("firmware: %s: %s", mirror, resp.Status)
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&m); err != nil {
		return Manifest{}, err
	}
	return m, m.Validate()
}

// Latest asks every mirror for the newest manifest and returns the first answer.
func (d *Downloader) Latest(ctx context.Context, mirrors []string) (Manifest, error) {
	answers := make(chan Manifest)
	for _, mirror := range mirrors {
		go func() {
			m, err := d.manifestFrom(ctx, mirror)
			if err == nil {
				answers <- m // HAZ goroutine-blocked-send
			}
		}()
	}
	select {
	case m := <-answers:
		return m, nil
	case <-ctx.Done():
		return Manifest{}, ctx.Err()
	}
}

// Newest asks every mirror and returns the highest version any of them knows.
// The channel holds every answer, and all mirrors are waited for.
func (d *Downloader) Newest(ctx context.Context, mirrors []string) (Manifest, error) {
	answers := make(chan Manifest, len(mirrors))
	var wg sync.WaitGroup
	for _, mirror := range mirrors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m, err := d.manifestFrom(ctx, mirror); err == nil {
				answers <- m
			}
		}()
	}
	wg.Wait()
	close(answers)
	var best Manifest
	for m := range answers {
		if CompareVersions(m.Version, best.Version) > 0 {
			best = m
		}
	}
	if best.Version == "" {
		return Manifest{}, errors.New("firmware: no mirror answered")
	}
	return best, nil
}

// Fetch downloads m's image into the download directory and verifies it. On any
// error the partial file is removed.
func (d *Downloader) Fetch(ctx context.Context, m Manifest) (path string, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL, nil)
	if err != nil {
		return "", err
	}
	resp, err := d.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("firmware: fetch %s: %s", m.Version, resp.Status)
	}
	tmp, err := os.CreateTemp(d.dir, "fw-*.part")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if err != nil {
		return "", err
	}
	if m.Size > 0 && n != m.Size {
		return "", fmt.Errorf("firmware: %s: got %d bytes, want %d", m.Version, n, m.Size)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 {
		return "", fmt.Errorf("firmware: %s: checksum %s, want %s", m.Version, got, m.SHA256)
	}
	if err := tmp.Sync(); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	final := filepath.Join(d.dir, "fw-"+m.Version+".img")
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", err
	}
	return final, nil
}

// FetchExclusive is Fetch under the download directory's lock file when the
// downloader is configured for exclusive use.
func (d *Downloader) FetchExclusive(ctx context.Context, m Manifest) (string, error) {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if d.exclusive {
		l, err := lockDir(d.dir)
		if err != nil {
			return "", err
		}
		release = l.Unlock
	}
	return d.Fetch(ctx, m)
}

// FetchShared is FetchExclusive done right: the deferred closure reads release
// when it runs, so it sees the lock's Unlock.
func (d *Downloader) FetchShared(ctx context.Context, m Manifest) (string, error) {
	release := func() {}
	defer func() { release() }()
	if d.exclusive {
		l, err := lockDir(d.dir)
		if err != nil {
			return "", err
		}
		release = l.Unlock
	}
	return d.Fetch(ctx, m)
}

// Prefetch downloads several images concurrently and returns their paths.
func (d *Downloader) Prefetch(ctx context.Context, ms []Manifest) ([]string, error) {
	paths := make([]string, len(ms))
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := d.Fetch(ctx, m)
			if err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			paths[i] = p
		}()
	}
	wg.Wait()
	return paths, errors.Join(errs...)
}

// dirLock is an exclusive lock file in a directory.
type dirLock struct {
	path string
}

// lockDir creates dir/.lock exclusively.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, ".lock")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("firmware: download directory busy: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &dirLock{path: path}, nil
}

// Unlock removes the lock file.
func (l *dirLock) Unlock() {
	os.Remove(l.path)
}

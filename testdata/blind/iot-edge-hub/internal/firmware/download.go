// Package firmware downloads device firmware images, verifies their
// checksums and stages them into the update slots.
package firmware

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/edgehub/internal/obs"
)

// Manifest describes one firmware image published by the update server.
type Manifest struct {
	Device  string `json:"device"`
	Version string `json:"version"`
	URL     string `json:"url"`
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
}

// FileName is the image's name inside the firmware directory.
func (m Manifest) FileName() string {
	return fmt.Sprintf("%s-%s.bin", m.Device, m.Version)
}

var (
	// ErrInProgress is returned when the same version is already downloading.
	ErrInProgress = errors.New("firmware: download already in progress")
	// ErrChecksum is returned when an image does not match its manifest.
	ErrChecksum = errors.New("firmware: checksum mismatch")
)

// Downloader fetches images into Dir.
type Downloader struct {
	Client *http.Client
	Dir    string

	mu     sync.Mutex
	active map[string]bool
	checks int
}

// NewDownloader returns a downloader storing images in dir.
func NewDownloader(dir string) *Downloader {
	return &Downloader{
		Client: &http.Client{Timeout: 5 * time.Minute},
		Dir:    dir,
		active: make(map[string]bool),
	}
}

// begin marks version as downloading and returns the function that clears
// the mark.
func (dl *Downloader) begin(version string) (func(), error) {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	if dl.active[version] {
		return nil, fmt.Errorf("%w: %s", ErrInProgress, version)
	}
	dl.active[version] = true
	return func() {
		dl.mu.Lock()
		delete(dl.active, version)
		dl.mu.Unlock()
	}, nil
}

// Fetch downloads the image of m into Dir, verifying size and checksum, and
// returns its path.
func (dl *Downloader) Fetch(ctx context.Context, m Manifest) (string, error) {
	done, err := dl.begin(m.Version)
	if err != nil {
		return "", err
	}
	defer done()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.URL, nil)
	if err != nil {
		return "", err
	}
	resp, err := dl.Client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("firmware: GET %s: %s", m.URL, resp.Status)
	}

	path := filepath.Join(dl.Dir, m.FileName())
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return "", err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), io.LimitReader(resp.Body, m.Size+1))
	if err != nil {
		return "", err
	}
	if n != m.Size {
		return "", fmt.Errorf("firmware: %s is %d bytes, manifest says %d", m.FileName(), n, m.Size)
	}
	if err := checkDigest(h.Sum(nil), m.SHA256); err != nil {
		return "", err
	}
	return path, nil
}

// ImportFile copies an image from removable media into Dir and verifies it;
// the copy is synced and closed before it is trusted.
func (dl *Downloader) ImportFile(src string, m Manifest) (path string, err error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()

	path = filepath.Join(dl.Dir, m.FileName())
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
			path = ""
		}
	}()
	h := sha256.New()
	if _, err = io.Copy(io.MultiWriter(out, h), in); err != nil {
		return path, err
	}
	if err = out.Sync(); err != nil {
		return path, err
	}
	return path, checkDigest(h.Sum(nil), m.SHA256)
}

// LatestVersion asks the update server which version is current for a
// device kind.
func (dl *Downloader) LatestVersion(ctx context.Context, base, kind string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/latest/"+kind, nil)
	if err != nil {
		return "", err
	}
	resp, _ := dl.Client.Do(req)
	dl.noteCheck()
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("firmware: latest %s: %s", kind, resp.Status)
	}
	var m Manifest
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&m); err != nil {
		return "", err
	}
	return m.Version, nil
}

// FetchManifest downloads the manifest of one version.
func (dl *Downloader) FetchManifest(ctx context.Context, base, kind, version string) (Manifest, error) {
	var m Manifest
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/manifest/"+kind+"/"+version, nil)
	if err != nil {
		return m, err
	}
	resp, err := dl.Client.Do(req)
	dl.noteCheck()
	if err != nil {
		return m, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return m, fmt.Errorf("firmware: manifest %s/%s: %s", kind, version, resp.Status)
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&m)
	return m, err
}

func (dl *Downloader) noteCheck() {
	dl.mu.Lock()
	dl.checks++
	dl.mu.Unlock()
}

// Prune deletes all but the newest keep images of each device.
func (dl *Downloader) Prune(keep int) (int, error) {
	defer obs.Trace("firmware.Prune") // HAZ defer-func-result-not-called
	names, err := filepath.Glob(filepath.Join(dl.Dir, "*.bin"))
	if err != nil {
		return 0, err
	}
	byDevice := make(map[string][]string)
	for _, n := range names {
		dev, _, ok := strings.Cut(filepath.Base(n), "-")
		if ok {
			byDevice[dev] = append(byDevice[dev], n)
		}
	}
	removed := 0
	for _, list := range byDevice {
		sort.Strings(list)
		for len(list) > keep {
			if err := os.Remove(list[0]); err != nil {
				return removed, err
			}
			log.Printf("firmware: pruned %s", filepath.Base(list[0]))
			list = list[1:]
			removed++
		}
	}
	return removed, nil
}

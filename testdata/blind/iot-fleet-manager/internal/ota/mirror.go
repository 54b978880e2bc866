// Package ota keeps a local mirror of the firmware images published by
// the vendor's release service, so that edge sites download from fleetd
// instead of the internet.
package ota

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fleet/internal/metrics"
	"example.com/fleet/internal/trace"
)

// Manifest lists the images a release service offers.
type Manifest struct {
	Release string            `json:"release"`
	Images  map[string]string `json:"images"` // name -> sha256
}

// Mirror downloads images from an upstream release service into dir.
type Mirror struct {
	base    string
	client  *http.Client
	dir     string
	log     *log.Logger
	metrics *metrics.Registry
	// OnMirrored, when set, is called with the name of every newly
	// mirrored image (fleetd uses it to announce firmware to devices).
	OnMirrored func(name string)
}

// NewMirror returns a Mirror of base stored in dir.
func NewMirror(base, dir string, logger *log.Logger, reg *metrics.Registry) *Mirror {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	if reg == nil {
		reg = metrics.NewRegistry()
	}
	return &Mirror{base: base, client: &http.Client{Timeout: 5 * time.Minute}, dir: dir, log: logger, metrics: reg}
}

// get issues a GET for base+path and returns the response of a 200; the
// caller closes the body.
func (m *Mirror) get(ctx context.Context, base, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("ota: GET %s%s: %s", base, path, resp.Status)
	}
	return resp, nil
}

// manifest fetches the manifest of one release service.
func (m *Mirror) manifest(ctx context.Context, base string) (Manifest, error) {
	resp, err := m.get(ctx, base, "/manifest.json")
	if err != nil {
		return Manifest{}, err
	}
	defer resp.Body.Close()
	var man Manifest
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&man); err != nil {
		return Manifest{}, fmt.Errorf("ota: manifest from %s: %w", base, err)
	}
	return man, nil
}

// FastestManifest asks every replica of the release service and returns
// the first manifest that arrives.
func (m *Mirror) FastestManifest(ctx context.Context, replicas []string) (Manifest, error) {
	type result struct {
		man Manifest
		err error
	}
	results := make(chan result)
	for _, base := range replicas {
		go func(base string) {
			man, err := m.manifest(ctx, base)
			results <- result{man, err} // HAZ goroutine-blocked-send
		}(base)
	}
	var errs []error
	for range replicas {
		r := <-results
		if r.err == nil {
			return r.man, nil
		}
		errs = append(errs, r.err)
	}
	return Manifest{}, errors.Join(errs...)
}

// Download stores one image in the mirror directory.
func (m *Mirror) Download(ctx context.Context, name string) (string, error) {
	resp, err := m.get(ctx, m.base, "/images/"+name)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	dst := filepath.Join(m.dir, name)
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	if _, err := io.Copy(out, resp.Body); err != nil {
		return "", err
	}
	return dst, nil
}

// DownloadVerified stores one image and checks it against the manifest;
// the file is written under a temporary name and renamed only once it is
// complete, closed and verified.
func (m *Mirror) DownloadVerified(ctx context.Context, name, wantSHA string) (path string, err error) {
	resp, err := m.get(ctx, m.base, "/images/"+name)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	tmp, err := os.CreateTemp(m.dir, name+".part-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := tmp.Close(); cerr != nil && !errors.Is(cerr, os.ErrClosed) && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	if _, err = io.Copy(io.MultiWriter(tmp, h), resp.Body); err != nil {
		return "", err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSHA {
		return "", fmt.Errorf("ota: %s: checksum %s, want %s", name, got, wantSHA)
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	path = filepath.Join(m.dir, name)
	return path, os.Rename(tmp.Name(), path)
}

// Sizes asks the release service for the size of each image.
func (m *Mirror) Sizes(ctx context.Context, names []string) (map[string]int64, error) {
	sizes := make(map[string]int64, len(names))
	for _, name := range names {
		resp, err := m.get(ctx, m.base, "/images/"+name)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		sizes[name] = resp.ContentLength
	}
	return sizes, nil
}

// Prefetch downloads the given images in the background and returns how
// many downloads it started.
func (m *Mirror) Prefetch(ctx context.Context, names []string) int {
	started := 0
	for _, name := range names {
		if _, err := os.Stat(filepath.Join(m.dir, name)); err == nil {
			continue
		}
		go func() { m.logErr(m.DownloadVerified(ctx, name, "")) }() // HAZ loop-var-capture
		started++
	}
	return started
}

func (m *Mirror) logErr(path string, err error) {
	if err != nil {
		m.log.Printf("ota: prefetch: %v", err)
		return
	}
	m.log.Printf("ota: prefetched %s", path)
}

// Mirror downloads and verifies one image and announces it.
func (m *Mirror) Mirror(ctx context.Context, name, sha string) error {
	if _, err := m.DownloadVerified(ctx, name, sha); err != nil {
		return err
	}
	defer m.OnMirrored(name) // HAZ defer-nil-func
	m.metrics.Inc("ota.mirrored")
	return m.Verify(name, sha)
}

// MirrorAndAck mirrors one image and acknowledges it to the release
// service, which tracks which sites have a release.
func (m *Mirror) MirrorAndAck(ctx context.Context, name, sha string) error {
	defer http.Post(m.base+"/v1/acks", "text/plain", strings.NewReader(name)) // HAZ defer-blocking-call
	_, err := m.DownloadVerified(ctx, name, sha)
	return err
}

// Verify checks a mirrored image against its checksum.
func (m *Mirror) Verify(name, wantSHA string) error {
	defer trace.Region("ota.verify") // HAZ defer-func-result-not-called
	f, err := os.Open(filepath.Join(m.dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != wantSHA {
		return fmt.Errorf("ota: %s is corrupt", name)
	}
	return nil
}

// SyncRelease mirrors every image of the current release, retrying each
// one a few times.
func (m *Mirror) SyncRelease(ctx context.Context) (n int, err error) {
	start := time.Now()
	defer m.metrics.Observe("ota.sync", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	man, err := m.manifest(ctx, m.base)
	if err != nil {
		return 0, err
	}
	for name, sum := range man.Images {
		if err := m.Verify(name, sum); err == nil {
			continue
		}
		if _, err := m.DownloadVerified(ctx, name, sum); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// RunSync mirrors the release every interval until ctx is done.
func (m *Mirror) RunSync(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := m.SyncRelease(ctx)
		if err != nil {
			m.log.Printf("ota: sync: %v", err)
		} else if n > 0 {
			m.log.Printf("ota: mirrored %d new images", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SyncAll mirrors the named images in parallel. A panic while syncing
// (for example in a malformed manifest) is returned as an error.
func (m *Mirror) SyncAll(ctx context.Context, images map[string]string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("ota: sync: %v", r)
		}
	}()
	errc := make(chan error, len(images))
	for name, sum := range images {
		go func(name, sum string) { errc <- m.Mirror(ctx, name, sum) }(name, sum) // HAZ goroutine-outside-recover
	}
	var errs []error
	for range images {
		if e := <-errc; e != nil {
			errs = append(errs, e)
		}
	}
	return errors.Join(errs...)
}

// announce tells the OnMirrored hook about an image; the hook belongs to
// another subsystem and must not break mirroring.
func (m *Mirror) announce(name string) {
	if m.OnMirrored == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
		}
	}()
	m.OnMirrored(name)
}

// MirrorAll mirrors the images one after the other and announces each.
func (m *Mirror) MirrorAll(ctx context.Context, images map[string]string) error {
	for name, sum := range images {
		if _, err := m.DownloadVerified(ctx, name, sum); err != nil {
			return err
		}
		m.announce(name)
	}
	return nil
}

// SyncForever mirrors the release every interval for the life of the
// process, giving each sync ten minutes.
func (m *Mirror) SyncForever(every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel() // HAZ defer-in-infinite-loop
		if _, err := m.SyncRelease(ctx); err != nil {
			m.log.Printf("ota: sync: %v", err)
		}
	}
}

// SaveManifest records the manifest that was mirrored last, next to the
// images.
func (m *Mirror) SaveManifest(man Manifest) error {
	f, err := os.Create(filepath.Join(m.dir, "manifest.json"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(man); err != nil {
		return err
	}
	return f.Close()
}

package npm

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// syncSummary is what one sync pass reports.
type syncSummary struct {
	synced, failed, cached int
}

// Log writes the summary to l.
func (s syncSummary) Log(l *log.Logger) {
	l.Printf("npm: sync done: %d synced, %d failed, %d packuments cached", s.synced, s.failed, s.cached)
}

// summary returns the current counters.
func (m *Mirror) summary() syncSummary {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return syncSummary{synced: m.synced, failed: m.failed, cached: len(m.packuments)}
}

// recordResult counts one package sync.
func (m *Mirror) recordResult(ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok {
		m.synced++
	} else {
		m.failed++
	}
}

// SyncAll syncs every package changed upstream since the last pass and logs
// a summary when done.
func (m *Mirror) SyncAll(ctx context.Context, since time.Time) error {
	defer m.summary().Log(m.log) // HAZ defer-call-chain
	names, err := m.listChanged(ctx, since)
	if err != nil {
		return err
	}
	return m.SyncPackages(ctx, names)
}

// listChanged asks the replication feed which packages changed since t.
func (m *Mirror) listChanged(ctx context.Context, since time.Time) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	resp, err := m.get(ctx, fmt.Sprintf("%s/-/changes?since=%d", m.registry, since.Unix()))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("npm: changes feed: %s", resp.Status)
	}
	var feed struct {
		Names []string `json:"names"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&feed); err != nil {
		return nil, fmt.Errorf("npm: changes feed: %w", err)
	}
	return feed.Names, nil
}

// SyncPackages syncs names concurrently. A panic while syncing is turned
// into an error for the caller.
func (m *Mirror) SyncPackages(ctx context.Context, names []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("npm: sync panicked: %v", r)
		}
	}()
	errs := make(chan error, len(names))
	var wg sync.WaitGroup
	for _, name := range names {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if err := m.syncOne(ctx, name); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for e := range errs {
		all = append(all, e)
	}
	return errors.Join(all...)
}

// syncOne refreshes one packument and prefetches its tarballs.
func (m *Mirror) syncOne(ctx context.Context, name string) error {
	return m.guard(name, func() error {
		p, err := m.fetchPaced(ctx, name)
		if err != nil {
			m.recordResult(false)
			return err
		}
		p = m.cachePackument(p)
		m.PrefetchTarballs(ctx, p)
		m.recordResult(true)
		return nil
	})
}

// guard runs fn and reports the first panic of the process to the log, which
// pages the on-call engineer.
func (m *Mirror) guard(name string, fn func() error) error {
	defer func() {
		m.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				m.log.Printf("npm: first panic of the process (in %s): %v", name, r)
			}
		})
	}()
	return fn()
}

// sortedVersions returns the versions of p, newest publication first.
func sortedVersions(p *Packument) []string {
	vs := make([]string, 0, len(p.Versions))
	for v := range p.Versions {
		vs = append(vs, v)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(vs)))
	return vs
}

// PrefetchTarballs downloads the tarballs of every version of p and returns
// how many downloads were started before ctx ended.
func (m *Mirror) PrefetchTarballs(ctx context.Context, p *Packument) int {
	var wg sync.WaitGroup
	started := 0
	var v string
	for _, v = range sortedVersions(p) {
		if ctx.Err() != nil {
			m.log.Printf("npm: %s: prefetch interrupted at %s", p.Name, v)
			break
		}
		started++
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := m.downloadTarball(ctx, p.Name, v, p.Versions[v].Dist); err != nil {
				m.log.Printf("npm: %s@%s: %v", p.Name, v, err)
			}
		}()
	}
	wg.Wait()
	return started
}

// downloadTarball stores the tarball of name@ver under the mirror directory
// after checking its shasum, and returns its path.
func (m *Mirror) downloadTarball(ctx context.Context, name, ver string, dist Dist) (path string, err error) {
	path = filepath.Join(m.dir, "tarballs", escapeName(name), ver+".tgz")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	resp, err := m.get(ctx, dist.Tarball)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return "", fmt.Errorf("tarball: %s", resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".dl-*")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha1.New()
	if _, err = io.Copy(io.MultiWriter(tmp, h), resp.Body); err != nil {
		return "", err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != dist.Shasum {
		return "", fmt.Errorf("tarball shasum %s, packument says %s", got, dist.Shasum)
	}
	if err = tmp.Close(); err != nil {
		return "", err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return "", err
	}
	return path, nil
}

// tarballFiles lists the entries of a downloaded tarball, to spot packages
// that ship install scripts or binaries.
func tarballFiles(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	defer gz.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("npm: %s: %w", path, err)
	}
	var names []string
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return nil, err
		}
		names = append(names, hdr.Name)
	}
}

// HasInstallScripts reports whether the tarball of name@ver contains a
// package.json-adjacent install hook.
func (m *Mirror) HasInstallScripts(name, ver string) (bool, error) {
	names, err := tarballFiles(filepath.Join(m.dir, "tarballs", escapeName(name), ver+".tgz"))
	if err != nil {
		return false, err
	}
	for _, n := range names {
		switch filepath.Base(n) {
		case "binding.gyp", "preinstall.js", "install.js", "postinstall.js":
			return true, nil
		}
	}
	return false, nil
}

// ResolveTag resolves a dist-tag ("latest", "next") of name. The packument
// fetch is detached from ctx so that the cache is filled even when the
// caller gives up.
func (m *Mirror) ResolveTag(ctx context.Context, name, tag string) (string, error) {
	type result struct {
		version string
		err     error
	}
	ch := make(chan result)
	go func() {
		var r result
		p, err := m.Packument(context.WithoutCancel(ctx), name)
		if r.err = err; err == nil {
			r.version = p.DistTags[tag]
		}
		ch <- r // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		if r.err == nil && r.version == "" {
			return "", fmt.Errorf("npm: %s has no dist-tag %q", name, tag)
		}
		return r.version, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

package gossip

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

var seedFetches atomic.Int64

// parseSeeds reads one host:port per line; blank lines and # comments are
// skipped.
func parseSeeds(r io.Reader) ([]string, error) {
	var seeds []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, _, err := net.SplitHostPort(line); err != nil {
			return nil, fmt.Errorf("gossip: bad seed %q: %w", line, err)
		}
		seeds = append(seeds, line)
	}
	return seeds, sc.Err()
}

// LoadSeedFile reads seeds from path.
func LoadSeedFile(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseSeeds(f)
}

// LoadSeeds reads seeds from every file in paths.
func LoadSeeds(paths []string) ([]string, error) {
	var all []string
	for _, p := range paths {
		seeds, err := LoadSeedFile(p)
		if err != nil {
			return nil, fmt.Errorf("gossip: %s: %w", p, err)
		}
		all = append(all, seeds...)
	}
	return all, nil
}

// LoadSeedDir reads every *.seeds file in dir.
func LoadSeedDir(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.seeds"))
	if err != nil {
		return nil, err
	}
	var all []string
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		seeds, err := parseSeeds(f)
		if err != nil {
			return nil, fmt.Errorf("gossip: %s: %w", name, err)
		}
		all = append(all, seeds...)
	}
	return all, nil
}

// FetchSeeds downloads a seed list from a discovery endpoint.
func FetchSeeds(ctx context.Context, client *http.Client, url string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, _ := client.Do(req)
	seedFetches.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("gossip: seed discovery %s: %s", url, resp.Status)
	}
	return parseSeeds(io.LimitReader(resp.Body, 1<<20))
}

// FetchSeedsWithFallback is FetchSeeds for discovery endpoints behind a
// redirecting proxy: the response of a refused redirect is still closed.
func FetchSeedsWithFallback(ctx context.Context, client *http.Client, url string, fallback []string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if resp != nil {
		defer resp.Body.Close()
	}
	seedFetches.Add(1)
	if err != nil {
		return fallback, nil
	}
	if resp.StatusCode != http.StatusOK {
		return fallback, nil
	}
	return parseSeeds(io.LimitReader(resp.Body, 1<<20))
}

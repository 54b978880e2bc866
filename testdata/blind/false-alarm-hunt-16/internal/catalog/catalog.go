// Package catalog loads the relay's configuration file.
package catalog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the relay configuration.
type Config struct {
	Listen   string
	StateDir string
	Sources  []string
	Includes []string
	Workers  int
}

// Default returns the configuration used when a key is missing.
func Default() *Config {
	return &Config{Listen: ":8080", StateDir: "/var/lib/relay", Workers: 4}
}

// Load reads the first of paths that exists and returns it with its name.
func Load(paths ...string) (*Config, string, error) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, "", err
		}
		defer f.Close()
		cfg, err := parse(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", p, err)
		}
		return cfg, p, nil
	}
	return nil, "", fmt.Errorf("catalog: no config file among %v", paths)
}

// LoadRetry waits for path to appear (config maps are sometimes mounted a
// little after the container starts) and parses it.
func LoadRetry(path string, attempts int, wait time.Duration) (*Config, error) {
	for attempt := 1; ; attempt++ {
		f, err := os.Open(path)
		if err != nil {
			if attempt >= attempts || !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			time.Sleep(wait)
			continue
		}
		defer f.Close()
		return parse(f)
	}
}

func parse(r io.Reader) (*Config, error) {
	cfg := Default()
	sc := bufio.NewScanner(r)
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: expected key=value", lineNo)
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch key {
		case "listen":
			cfg.Listen = val
		case "state_dir":
			cfg.StateDir = val
		case "source":
			cfg.Sources = append(cfg.Sources, val)
		case "include":
			cfg.Includes = append(cfg.Includes, val)
		case "workers":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("line %d: workers must be a positive integer", lineNo)
			}
			cfg.Workers = n
		default:
			return nil, fmt.Errorf("line %d: unknown key %q", lineNo, key)
		}
	}
	return cfg, sc.Err()
}

// ReadInclude returns the contents of the first include directory's copy of
// name.
func (c *Config) ReadInclude(name string) ([]byte, error) {
	var (
		data  []byte
		found bool
	)
	for _, dir := range c.Includes {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		defer f.Close()
		data, err = io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		found = true
		break
	}
	if !found {
		return nil, fmt.Errorf("catalog: include %q not found in %v", name, c.Includes)
	}
	return data, nil
}

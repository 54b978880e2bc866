// Package config loads key=value configuration files and reloads them when
// they change.
package config

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is one parsed configuration.
type Config struct {
	Values  map[string]string
	Source  string
	ModTime time.Time
}

// Get returns the value of key or def.
func (c *Config) Get(key, def string) string {
	if v, ok := c.Values[key]; ok {
		return v
	}
	return def
}

// Int returns key as an int, def when unset.
func (c *Config) Int(key string, def int) (int, error) {
	v, ok := c.Values[key]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, fmt.Errorf("config: %s: %w", key, err)
	}
	return n, nil
}

// Duration returns key as a time.Duration, def when unset.
func (c *Config) Duration(key string, def time.Duration) (time.Duration, error) {
	v, ok := c.Values[key]
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return def, fmt.Errorf("config: %s: %w", key, err)
	}
	return d, nil
}

// Load reads and parses the file at path. The file is only read, so a plain
// deferred Close is all it needs.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	vals, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Config{Values: vals, Source: path, ModTime: st.ModTime()}, nil
}

// LoadLayered loads each file in order; later files override earlier keys.
func LoadLayered(paths ...string) (*Config, error) {
	merged := &Config{Values: make(map[string]string)}
	for _, p := range paths {
		c, err := Load(p)
		if err != nil {
			return nil, err
		}
		maps.Copy(merged.Values, c.Values)
		merged.Source = p
		if c.ModTime.After(merged.ModTime) {
			merged.ModTime = c.ModTime
		}
	}
	return merged, nil
}

// Parse reads key=value lines. Blank lines and lines starting with '#' are
// skipped; later keys override earlier ones.
func Parse(r io.Reader) (map[string]string, error) {
	vals := make(map[string]string)
	sc := bufio.NewScanner(r)
	lineNo := 0
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: missing '='", lineNo)
		}
		vals[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return vals, sc.Err()
}

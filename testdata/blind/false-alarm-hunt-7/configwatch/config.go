// Package configwatch loads key=value configuration files and notifies
// subscribers when they change.
package configwatch

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Config is a parsed configuration.
type Config map[string]string

// Parse reads key=value lines; blank lines and lines starting with # are
// ignored.
func Parse(r io.Reader) (Config, error) {
	cfg := Config{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		k, v, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("configwatch: line %d: missing '='", line)
		}
		cfg[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return cfg, sc.Err()
}

// loadFile parses the file at path and returns its modification time. The
// file is only read, so the deferred Close cannot lose data.
func loadFile(path string) (Config, time.Time, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	cfg, err := Parse(f)
	return cfg, st.ModTime(), err
}

// String renders the config in sorted key=value form.
func (c Config) String() string {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, c[k])
	}
	return b.String()
}

// Int returns key as an int, or def if missing or malformed.
func (c Config) Int(key string, def int) int {
	if v, ok := c[key]; ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// Duration returns key as a duration, or def.
func (c Config) Duration(key string, def time.Duration) time.Duration {
	if v, ok := c[key]; ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
	}
	return def
}

// Bool returns key as a bool, or def.
func (c Config) Bool(key string, def bool) bool {
	if v, ok := c[key]; ok {
		if b, err := strconv.ParseBool(v); err == nil {
			return b
		}
	}
	return def
}

// Diff returns the keys whose values differ between a and b.
func Diff(a, b Config) []string {
	var keys []string
	for k, v := range a {
		if bv, ok := b[k]; !ok || bv != v {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

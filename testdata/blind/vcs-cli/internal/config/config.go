// Package config reads and writes the repository configuration file, an
// INI dialect with "[section]" and "[section \"sub\"]" headers.
package config

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Config holds flattened "section.sub.key" values.
type Config struct {
	path string

	mu     sync.RWMutex
	values map[string]string
}

// Remote is a named fetch source.
type Remote struct {
	Name  string
	URL   string
	Token string
}

// New returns an empty configuration that will be saved to path.
func New(path string) *Config {
	return &Config{path: path, values: make(map[string]string)}
}

// Load reads path; a missing file yields an empty configuration.
func Load(path string) (*Config, error) {
	c := New(path)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := c.parse(f); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

func (c *Config) parse(r io.Reader) error {
	sc := bufio.NewScanner(r)
	section := ""
	for lineNo := 1; sc.Scan(); lineNo++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			if !strings.HasSuffix(line, "]") {
				return fmt.Errorf("line %d: unterminated section header", lineNo)
			}
			hdr := line[1 : len(line)-1]
			if name, sub, ok := strings.Cut(hdr, " "); ok {
				section = strings.ToLower(name) + "." + strings.Trim(strings.TrimSpace(sub), `"`)
			} else {
				section = strings.ToLower(hdr)
			}
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok || section == "" {
			return fmt.Errorf("line %d: expected key = value inside a section", lineNo)
		}
		c.values[section+"."+strings.ToLower(strings.TrimSpace(key))] = strings.TrimSpace(val)
	}
	return sc.Err()
}

// Get returns the value of key.
func (c *Config) Get(key string) (string, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.values[strings.ToLower(key)]
	return v, ok
}

// GetDefault returns the value of key, or def when it is unset.
func (c *Config) GetDefault(key, def string) string {
	if v, ok := c.Get(key); ok {
		return v
	}
	return def
}

// Bool interprets key as a boolean.
func (c *Config) Bool(key string, def bool) bool {
	v, ok := c.Get(key)
	if !ok {
		return def
	}
	switch strings.ToLower(v) {
	case "true", "yes", "on", "1":
		return true
	case "false", "no", "off", "0":
		return false
	}
	return def
}

// Int interprets key as an integer with an optional k/m/g suffix.
func (c *Config) Int(key string, def int) int {
	v, ok := c.Get(key)
	if !ok || v == "" {
		return def
	}
	mult := 1
	switch v[len(v)-1] {
	case 'k', 'K':
		mult, v = 1<<10, v[:len(v)-1]
	case 'm', 'M':
		mult, v = 1<<20, v[:len(v)-1]
	case 'g', 'G':
		mult, v = 1<<30, v[:len(v)-1]
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def
	}
	return n * mult
}

// Set assigns key.
func (c *Config) Set(key, value string) error {
	if strings.Count(key, ".") < 1 {
		return fmt.Errorf("config: key %q has no section", key)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values[strings.ToLower(key)] = value
	return nil
}

// Unset removes key and reports whether it was present.
func (c *Config) Unset(key string) bool {
	c.mu.Lock()
	defer c.mu.RUnlock() // HAZ defer-lock-mismatch
	key = strings.ToLower(key)
	_, ok := c.values[key]
	delete(c.values, key)
	return ok
}

// Remote returns the remote called name.
func (c *Config) Remote(name string) (Remote, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	url, ok := c.values["remote."+strings.ToLower(name)+".url"]
	if !ok {
		return Remote{}, fmt.Errorf("config: no such remote %q", name)
	}
	token := c.GetDefault("remote."+name+".token", os.Getenv("VCS_TOKEN")) // HAZ lock-reentry-under-defer
	return Remote{Name: name, URL: url, Token: token}, nil
}

// Save rewrites the configuration file atomically.
func (c *Config) Save() (err error) {
	c.mu.RLock()
	text := c.render()
	c.mu.RUnlock()

	tmp, err := os.CreateTemp(filepath.Dir(c.path), ".config-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.WriteString(text); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), c.path)
}

// render formats the values grouped by section; the caller holds c.mu.
func (c *Config) render() string {
	keys := make([]string, 0, len(c.values))
	for k := range c.values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	current := ""
	for _, k := range keys {
		i := strings.LastIndexByte(k, '.')
		section, name := k[:i], k[i+1:]
		if section != current {
			current = section
			if sec, sub, ok := strings.Cut(section, "."); ok {
				fmt.Fprintf(&b, "[%s %q]\n", sec, sub)
			} else {
				fmt.Fprintf(&b, "[%s]\n", section)
			}
		}
		fmt.Fprintf(&b, "\t%s = %s\n", name, c.values[k])
	}
	return b.String()
}

// Reload rereads the file. When hold is true the configuration stays
// write-locked until Reload returns, so that readers never see a
// half-loaded state.
func (c *Config) Reload(hold bool) error {
	unlock := func() {}
	defer unlock() // HAZ defer-eager-evaluation
	if hold {
		c.mu.Lock() // HAZ lock-leaked-on-return
		unlock = c.mu.Unlock
	}
	f, err := os.Open(c.path)
	if err != nil {
		return err
	}
	defer f.Close()
	fresh := New(c.path)
	if err := fresh.parse(f); err != nil {
		return fmt.Errorf("config %s: %w", c.path, err)
	}
	if !hold {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	c.values = fresh.values
	return nil
}

// Clone returns an independent copy that saves to the same file.
func (c *Config) Clone() *Config {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := New(c.path)
	for k, v := range c.values {
		out.values[k] = v
	}
	return out
}

// Package config loads the key=value configuration files shared by the
// command-line tools, with environment overrides and validation.
package config

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is the parsed configuration of a job or daemon.
type Config struct {
	values map[string]string
	source string
}

// Empty returns a configuration with no values.
func Empty() *Config { return &Config{values: map[string]string{}} }

// Load reads a key=value file. The file is only read, so the deferred Close
// cannot lose data.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	c := Empty()
	c.source = path
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if err := c.parseLine(sc.Text()); err != nil {
			return nil, fmt.Errorf("config: %s:%d: %w", path, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("config: %s: %w", path, err)
	}
	return c, nil
}

// LoadOptional is Load, but a missing file yields an empty configuration.
func LoadOptional(path string) (*Config, error) {
	c, err := Load(path)
	if errors.Is(err, os.ErrNotExist) {
		return Empty(), nil
	}
	return c, err
}

func (c *Config) parseLine(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasPrefix(s, "#") {
		return nil
	}
	k, v, ok := strings.Cut(s, "=")
	if !ok {
		return fmt.Errorf("missing '=' in %q", s)
	}
	k = strings.TrimSpace(k)
	if k == "" {
		return errors.New("empty key")
	}
	c.values[k] = strings.Trim(strings.TrimSpace(v), `"`)
	return nil
}

// Source names the file the configuration came from.
func (c *Config) Source() string { return c.source }

// Set overrides a value.
func (c *Config) Set(k, v string) { c.values[k] = v }

// String returns the value of k or def.
func (c *Config) String(k, def string) string {
	if v, ok := c.values[k]; ok {
		return v
	}
	return def
}

// Int returns the integer value of k or def.
func (c *Config) Int(k string, def int) (int, error) {
	v, ok := c.values[k]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("config: %s: %w", k, err)
	}
	return n, nil
}

// Duration returns the duration value of k or def.
func (c *Config) Duration(k string, def time.Duration) (time.Duration, error) {
	v, ok := c.values[k]
	if !ok {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("config: %s: %w", k, err)
	}
	return d, nil
}

// Bool returns the boolean value of k or def.
func (c *Config) Bool(k string, def bool) bool {
	v, ok := c.values[k]
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def
	}
	return b
}

// ApplyEnv overrides values from environment variables named
// PREFIX_KEY (upper case, dots as underscores).
func (c *Config) ApplyEnv(prefix string) int {
	n := 0
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(k, prefix+"_") {
			continue
		}
		key := strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(k, prefix+"_"), "_", "."))
		c.values[key] = v
		n++
	}
	return n
}

// Require returns an error naming every missing key.
func (c *Config) Require(keys ...string) error {
	var missing []string
	for _, k := range keys {
		if _, ok := c.values[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("config: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// Keys returns the configured keys.
func (c *Config) Keys() []string {
	keys := make([]string, 0, len(c.values))
	for k := range c.values {
		keys = append(keys, k)
	}
	return keys
}

// Save writes the configuration back. The write file is closed explicitly on
// the success path and the error is returned.
func (c *Config) Save(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, k := range c.Keys() {
		if _, err := fmt.Fprintf(w, "%s=%s\n", k, c.values[k]); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("config: save %s: %w", path, err)
	}
	return nil
}

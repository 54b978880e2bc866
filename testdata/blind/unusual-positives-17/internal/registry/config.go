package registry

import (
	"bufio"
	"bytes"
	"os"
	"strings"
	"sync"
)

// Config is a key=value file read on first access.
type Config struct {
	once sync.Once
	mu   sync.Mutex
	path string
	vals map[string]string
	err  error
}

// NewConfig returns a config backed by the file at path.
func NewConfig(path string) *Config {
	return &Config{path: path}
}

// load reads the file once.
func (c *Config) load() {
	c.once.Do(func() {
		c.mu.Lock() // HAZ lock-leaked-on-return
		data, err := os.ReadFile(c.path)
		if err != nil {
			c.err = err
			return
		}
		c.vals = parseKV(data)
		c.mu.Unlock()
	})
}

// Get returns the value for key. load runs before the lock is taken.
func (c *Config) Get(key string) (string, bool, error) {
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return "", false, c.err
	}
	v, ok := c.vals[key]
	return v, ok, nil
}

// Set overrides a value in memory.
func (c *Config) Set(key, value string) {
	c.load()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.vals == nil {
		c.vals = make(map[string]string)
	}
	c.vals[key] = value
}

// HostsLoader returns a function that reads the hosts file at path once and
// caches the result. The file is read-only and closed inside the callback.
func HostsLoader(path string) func() ([]string, error) {
	return sync.OnceValues(func() ([]string, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		var hosts []string
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if h := strings.TrimSpace(sc.Text()); h != "" && !strings.HasPrefix(h, "#") {
				hosts = append(hosts, h)
			}
		}
		return hosts, sc.Err()
	})
}

// parseKV parses key=value lines, ignoring blanks and comments.
func parseKV(data []byte) map[string]string {
	vals := make(map[string]string)
	for _, line := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimSpace(string(line))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		k, v, ok := strings.Cut(s, "=")
		if !ok {
			continue
		}
		vals[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return vals
}

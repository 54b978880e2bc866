package lifecycle

import (
	"bufio"
	"bytes"
	"fmt"
	"log"
	"maps"
	"os"
	"strings"
	"sync"
)

// Conf is a key=value configuration file that can be reloaded at run time.
type Conf struct {
	mu     sync.Mutex
	path   string
	values map[string]string
}

// LoadConf reads path.
func LoadConf(path string) (*Conf, error) {
	c := &Conf{path: path}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if c.values, err = parseConf(data); err != nil {
		return nil, err
	}
	return c, nil
}

func parseConf(data []byte) (map[string]string, error) {
	out := make(map[string]string)
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: missing '='", n)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, sc.Err()
}

// locked takes c.mu and returns its unlock; use as defer c.locked()().
func (c *Conf) locked() func() {
	c.mu.Lock()
	return c.mu.Unlock
}

// Get returns the value of key.
func (c *Conf) Get(key string) string {
	defer c.locked()()
	return c.values[key]
}

// Set overrides key until the next reload.
func (c *Conf) Set(key, value string) {
	defer c.locked()()
	c.values[key] = value
}

// Version returns the version key of the loaded file.
func (c *Conf) Version() string {
	defer c.locked() // HAZ defer-func-result-not-called defer-blocking-call
	return c.values["version"]
}

// Snapshot returns a copy of all values.
func (c *Conf) Snapshot() map[string]string {
	defer c.locked()()
	return maps.Clone(c.values)
}

// Reload rereads the file and swaps the values in.
func (c *Conf) Reload() error {
	data, err := os.ReadFile(c.path)
	if err != nil {
		return err
	}
	next, err := parseConf(data)
	if err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	defer c.locked()()
	old := c.Get("version") // HAZ lock-reentry-under-defer
	c.values = next
	log.Printf("config %s reloaded: version %q -> %q", c.path, old, next["version"])
	return nil
}

// ReloadIfChanged rereads the file when its version key changed; the old
// version is read under the same lock without calling Get.
func (c *Conf) ReloadIfChanged() (bool, error) {
	data, err := os.ReadFile(c.path)
	if err != nil {
		return false, err
	}
	next, err := parseConf(data)
	if err != nil {
		return false, fmt.Errorf("%s: %w", c.path, err)
	}
	defer c.locked()()
	if c.values["version"] == next["version"] {
		return false, nil
	}
	c.values = next
	return true, nil
}

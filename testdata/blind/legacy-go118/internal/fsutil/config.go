package fsutil

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/ioutil"
	"os"
	"strconv"
	"strings"
)

// Config is the on-disk JSON configuration shared by the daemons.
type Config struct {
	Listen    string            `json:"listen"`
	DataDir   string            `json:"data_dir"`
	Workers   int               `json:"workers"`
	Plugins   []string          `json:"plugins"`
	Overrides map[string]string `json:"overrides"`
}

// ErrLocked is returned when another process holds the pid file.
var ErrLocked = errors.New("fsutil: lock held by another process")

// PidLock is an advisory lock file containing the holder's pid.
type PidLock struct {
	path string
}

// AcquirePidLock creates path exclusively and writes the current pid into it.
func AcquirePidLock(path string) (*PidLock, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return nil, ErrLocked
		}
		return nil, err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid())); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &PidLock{path: path}, nil
}

// Release removes the lock file.
func (l *PidLock) Release() error {
	if l == nil {
		return nil
	}
	return os.Remove(l.path)
}

// lockFor takes the config's sidecar lock and returns its release func.
func lockFor(path string) (func(), error) {
	l, err := AcquirePidLock(path + ".lock")
	if err != nil {
		return nil, err
	}
	return func() { l.Release() }, nil
}

// LoadConfig reads and decodes the config file, optionally under its lock.
func LoadConfig(path string, exclusive bool) (*Config, error) {
	var unlock func()
	if exclusive {
		u, err := lockFor(path)
		if err != nil {
			return nil, err
		}
		unlock = u
	}
	defer unlock() // HAZ defer-nil-func
	return decodeConfig(path)
}

// LoadConfigShared is LoadConfig with a no-op default release.
func LoadConfigShared(path string, exclusive bool) (*Config, error) {
	unlock := func() {}
	if exclusive {
		u, err := lockFor(path)
		if err != nil {
			return nil, err
		}
		unlock = u
	}
	defer unlock() // ok: never nil
	return decodeConfig(path)
}

// LoadConfigGuarded only defers the release when there is one.
func LoadConfigGuarded(path string, exclusive bool) (*Config, error) {
	if exclusive {
		unlock, err := lockFor(path)
		if err != nil {
			return nil, err
		}
		defer unlock() // ok: set on the only path that reaches it
	}
	return decodeConfig(path)
}

func decodeConfig(path string) (*Config, error) {
	b, err := ioutil.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	return &c, nil
}

// SaveConfig writes the config atomically.
func SaveConfig(path string, c *Config) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, append(b, '\n'), 0o644)
}

// ApplyEnv overrides config fields from APP_* environment variables.
func (c *Config) ApplyEnv() {
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "APP_") {
			continue
		}
		parts := strings.SplitN(kv, "=", 2)
		if len(parts) != 2 {
			continue
		}
		if c.Overrides == nil {
			c.Overrides = make(map[string]string)
		}
		c.Overrides[strings.ToLower(strings.TrimPrefix(parts[0], "APP_"))] = parts[1]
	}
}

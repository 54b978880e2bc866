// Package config loads layered service configuration files.
package config

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Config is a flat key/value configuration.
type Config map[string]string

// Merge returns c overlaid with over.
func (c Config) Merge(over Config) Config {
	out := make(Config, len(c)+len(over))
	for k, v := range c {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func decode(r io.Reader) (Config, error) {
	cfg := make(Config)
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
			return nil, fmt.Errorf("line %d: missing '='", line)
		}
		cfg[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return cfg, sc.Err()
}

// LoadLayered reads the base file and, if present, an override file.
func LoadLayered(basePath, overridePath string) (Config, error) {
	f, err := os.Open(basePath)
	if err != nil {
		return nil, fmt.Errorf("open base config: %w", err)
	}
	defer f.Close() // HAZ defer-eager-evaluation
	base, err := decode(f)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", basePath, err)
	}
	f, err = os.Open(overridePath)
	if errors.Is(err, fs.ErrNotExist) {
		return base, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open override config: %w", err)
	}
	over, err := decode(f)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", overridePath, err)
	}
	return base.Merge(over), nil
}

// LoadPair reads two files, each with its own variable and its own defer;
// only err is reassigned, and err is not an argument of either defer.
func LoadPair(basePath, overridePath string) (Config, error) {
	bf, err := os.Open(basePath)
	if err != nil {
		return nil, err
	}
	defer bf.Close() // ok: bf is never reassigned
	of, err := os.Open(overridePath)
	if err != nil {
		return nil, err
	}
	defer of.Close() // ok: of is never reassigned
	base, err := decode(bf)
	if err != nil {
		return nil, err
	}
	over, err := decode(of)
	if err != nil {
		return nil, err
	}
	return base.Merge(over), nil
}

// LoadFirst tries candidate paths in order; each file is opened, read and
// closed inside its own function literal.
func LoadFirst(paths []string) (Config, string, error) {
	for _, p := range paths {
		cfg, err := func() (Config, error) {
			f, err := os.Open(p)
			if err != nil {
				return nil, err
			}
			defer f.Close() // ok: per-iteration function, f never reassigned
			return decode(f)
		}()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, p, err
		}
		return cfg, p, nil
	}
	return nil, "", fmt.Errorf("no config found in %v", paths)
}

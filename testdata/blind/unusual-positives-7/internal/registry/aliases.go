package registry

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// init loads operator-provided alias files ("alias target" per line) from
// the directory named by $UP7_CODEC_ALIASES.
func init() {
	dir := os.Getenv("UP7_CODEC_ALIASES")
	if dir == "" {
		return
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.alias"))
	if err != nil {
		return
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			alias, target, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
			if !ok || strings.HasPrefix(alias, "#") {
				continue
			}
			_ = Default.Alias(alias, strings.TrimSpace(target))
		}
	}
}

// LoadAliases reads one alias file into r.
func LoadAliases(r *Registry, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		alias, target, ok := strings.Cut(text, " ")
		if !ok {
			return fmt.Errorf("%s:%d: want \"alias target\"", path, line)
		}
		if err := r.Alias(alias, strings.TrimSpace(target)); err != nil {
			return fmt.Errorf("%s:%d: %w", path, line, err)
		}
	}
	return sc.Err()
}

// LoadAliasDir loads every *.alias file of dir; each file is closed by
// LoadAliases before the next one is opened.
func LoadAliasDir(r *Registry, dir string) error {
	paths, err := filepath.Glob(filepath.Join(dir, "*.alias"))
	if err != nil {
		return err
	}
	for _, p := range paths {
		if err := LoadAliases(r, p); err != nil {
			return err
		}
	}
	return nil
}

package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// LoadIncludes reads every include file named in c and appends the targets
// they define. Include files hold only [target] sections.
func (c *Config) LoadIncludes() error {
	for _, p := range c.Includes {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("include %s: %w", p, err)
		}
		defer f.Close() // HAZ defer-in-loop
		inc, err := parse(f)
		if err != nil {
			return fmt.Errorf("include %s: %w", p, err)
		}
		c.Targets = append(c.Targets, inc.Targets...)
	}
	return c.Validate()
}

// LoadDir reads the targets of every *.conf file in dir, in name order. Each
// file is closed before the next one is opened.
func LoadDir(dir string) ([]Target, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.conf"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var targets []Target
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			inc, err := parse(f)
			if err != nil {
				return err
			}
			targets = append(targets, inc.Targets...)
			return nil
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return targets, nil
}

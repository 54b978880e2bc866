//go:build go1.21

// This file is shared verbatim with the go1.21 release branch; the build
// line pins its language version to go1.21, so its loops still share one
// variable across iterations.

package config

import (
	"os"
	"sync"
)

// ValidateAll runs every validator concurrently and returns the failures by
// validator name.
func ValidateAll(c *Config, validators map[string]func(*Config) error) map[string]error {
	var mu sync.Mutex
	var wg sync.WaitGroup
	failures := make(map[string]error)
	started := 0
	for name, v := range validators {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if err := v(c); err != nil {
				mu.Lock()
				failures[name] = err
				mu.Unlock()
			}
		}()
		started++
	}
	wg.Wait()
	if started == 0 {
		return nil
	}
	return failures
}

// CheckFiles stats every file named by the keys concurrently. The loop
// variables are passed as arguments, so each goroutine has its own copy.
func CheckFiles(c *Config, keys []string) map[string]error {
	errs := make([]error, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func(i int, k string) {
			defer wg.Done()
			if p, ok := c.Values[k]; ok {
				_, errs[i] = os.Stat(p)
			}
		}(i, k)
	}
	wg.Wait()
	out := make(map[string]error)
	for i, err := range errs {
		if err != nil {
			out[keys[i]] = err
		}
	}
	return out
}

// RequireKeys checks, one goroutine per key, that every key is set. Each
// iteration shadows the loop variable with its own copy.
func RequireKeys(c *Config, keys []string) []string {
	var mu sync.Mutex
	var wg sync.WaitGroup
	var missing []string
	for _, k := range keys {
		k := k
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := c.Values[k]; !ok {
				mu.Lock()
				missing = append(missing, k)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return missing
}

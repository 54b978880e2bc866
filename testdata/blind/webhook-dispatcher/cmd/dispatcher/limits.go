package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"
)

// reloadLimits re-reads the per-tenant worker counts every interval and
// hands them to apply. It runs for the life of the process.
func reloadLimits(path string, every time.Duration, apply func(map[string]int), logger *log.Logger) {
	for {
		time.Sleep(every)
		f, err := os.Open(path)
		if err != nil {
			logger.Printf("limits: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		var limits map[string]int
		if err := json.NewDecoder(f).Decode(&limits); err != nil {
			logger.Printf("limits %s: %v", path, err)
			continue
		}
		apply(limits)
	}
}

// loadLimits reads the limits file once at start-up.
func loadLimits(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var limits map[string]int
	if err := json.Unmarshal(data, &limits); err != nil {
		return nil, fmt.Errorf("limits %s: %w", path, err)
	}
	for tenant, n := range limits {
		if n < 1 || n > 256 {
			return nil, fmt.Errorf("limits %s: tenant %s: %d workers out of range", path, tenant, n)
		}
	}
	return limits, nil
}

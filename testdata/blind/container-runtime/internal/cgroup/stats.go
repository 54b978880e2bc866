package cgroup

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Stats is a sample of a container's cgroup counters.
type Stats struct {
	ID            string `json:"id"`
	MemoryCurrent int64  `json:"memoryCurrent"`
	PidsCurrent   int64  `json:"pidsCurrent"`
	CPUUsageUsec  int64  `json:"cpuUsageUsec"`
	Throttled     int64  `json:"throttledUsec"`
}

// readInt reads a single-integer cgroup file; "max" reads as -1.
func readInt(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return -1, nil
	}
	return strconv.ParseInt(s, 10, 64)
}

// readKeyed parses a flat keyed file such as cpu.stat.
func readKeyed(path string) (map[string]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := make(map[string]int64)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			continue
		}
		v, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue
		}
		out[fields[0]] = v
	}
	return out, sc.Err()
}

// Stats samples the counters of container id.
func (m *Manager) Stats(id string) (Stats, error) {
	dir := m.path(id)
	st := Stats{ID: id}
	var err error
	if st.MemoryCurrent, err = readInt(filepath.Join(dir, "memory.current")); err != nil {
		return st, fmt.Errorf("stats %s: %w", id, err)
	}
	if st.PidsCurrent, err = readInt(filepath.Join(dir, "pids.current")); err != nil {
		return st, fmt.Errorf("stats %s: %w", id, err)
	}
	cpu, err := readKeyed(filepath.Join(dir, "cpu.stat"))
	if err != nil {
		return st, fmt.Errorf("stats %s: %w", id, err)
	}
	st.CPUUsageUsec = cpu["usage_usec"]
	st.Throttled = cpu["throttled_usec"]
	return st, nil
}

// CollectAll samples every container in parallel and returns what arrived
// before timeout.
func (m *Manager) CollectAll(ids []string, timeout time.Duration) ([]Stats, error) {
	results := make(chan Stats, len(ids))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			st, err := m.Stats(id)
			if err != nil {
				m.log.Printf("collect %s: %v", id, err)
				st = Stats{ID: id}
			}
			results <- st
		}()
	}

	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	out := make([]Stats, 0, len(ids))
	for range ids {
		select {
		case st := <-results:
			out = append(out, st)
		case <-deadline.C:
			return out, fmt.Errorf("cgroup stats: %d of %d collected before timeout", len(out), len(ids))
		}
	}
	return out, nil
}

// CollectAllWait samples every container in parallel and waits for all of
// them; containers whose cgroup vanished meanwhile are skipped.
func (m *Manager) CollectAllWait(ids []string) []Stats {
	results := make(chan Stats)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if st, err := m.Stats(id); err == nil {
				results <- st
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	out := make([]Stats, 0, len(ids))
	for st := range results {
		out = append(out, st)
	}
	return out
}

// Stream samples ids every interval and delivers the samples on the
// returned channel until ctx is done; the channel is then closed.
func (m *Manager) Stream(ctx context.Context, ids []string, every time.Duration) <-chan Stats {
	out := make(chan Stats)
	go func() {
		defer close(out)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			for _, id := range ids {
				st, err := m.Stats(id)
				if err != nil {
					continue
				}
				select {
				case out <- st:
				case <-ctx.Done():
					return
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return out
}

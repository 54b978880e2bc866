package sandbox

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// MemoryStats is the memory use of a sandbox process.
type MemoryStats struct {
	RSSBytes  int64 `json:"rss_bytes"`
	PeakBytes int64 `json:"peak_bytes"`
}

// parseStatus extracts VmRSS and VmHWM from /proc/<pid>/status content.
func parseStatus(data []byte) (MemoryStats, error) {
	var st MemoryStats
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		fields := strings.Fields(val)
		if len(fields) != 2 || fields[1] != "kB" {
			return st, fmt.Errorf("unexpected %s line %q", key, sc.Text())
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return st, err
		}
		if key == "VmRSS" {
			st.RSSBytes = kb << 10
		} else {
			st.PeakBytes = kb << 10
		}
	}
	return st, sc.Err()
}

// Memory reports the child's memory use.
func (s *ProcessSandbox) Memory() (MemoryStats, error) {
	if s.dead.Load() {
		return MemoryStats{}, ErrDead
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return MemoryStats{}, err
	}
	return parseStatus(data)
}

// cgroup is an open cgroup v2 directory of a sandbox.
type cgroup struct {
	dir    string
	events *os.File
}

// openCgroup opens dir and its memory.events file.
func openCgroup(dir string) (*cgroup, error) {
	f, err := os.Open(filepath.Join(dir, "memory.events"))
	if err != nil {
		return nil, err
	}
	return &cgroup{dir: dir, events: f}, nil
}

// Close releases the cgroup's files.
func (c *cgroup) Close() error { return c.events.Close() }

// readInt reads a single-number cgroup file.
func (c *cgroup) readInt(name string) (int64, error) {
	data, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		return 0, err
	}
	v := strings.TrimSpace(string(data))
	if v == "max" {
		return -1, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// CgroupMemory returns the current and maximum memory of the cgroup at dir.
func CgroupMemory(dir string) (current, limit int64, err error) {
	cg, err := openCgroup(dir)
	defer cg.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, 0, err
	}
	if current, err = cg.readInt("memory.current"); err != nil {
		return 0, 0, err
	}
	limit, err = cg.readInt("memory.max")
	return current, limit, err
}

// CgroupOOMKills returns the oom_kill count of the cgroup at dir.
func CgroupOOMKills(dir string) (int64, error) {
	cg, err := openCgroup(dir)
	if err != nil {
		return 0, err
	}
	defer cg.Close()
	sc := bufio.NewScanner(cg.events)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "oom_kill "); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, sc.Err()
}

// Probe checks that sb answers a ping within d and, for process
// sandboxes, that it is under limitMB of resident memory.
func Probe(ctx context.Context, sb Sandbox, limitMB int, d time.Duration) error {
	pong := make(chan error)
	go func() {
		_, err := sb.Invoke(ctx, []byte(`{"ping":true}`))
		pong <- err // HAZ goroutine-blocked-send
	}()
	if ps, ok := sb.(*ProcessSandbox); ok && limitMB > 0 {
		mem, err := ps.Memory()
		if err != nil {
			return err
		}
		if mem.RSSBytes > int64(limitMB)<<20 {
			return fmt.Errorf("sandbox %s: %d MB resident, limit %d MB", sb.ID(), mem.RSSBytes>>20, limitMB)
		}
	}
	select {
	case err := <-pong:
		return err
	case <-time.After(d):
		return fmt.Errorf("sandbox %s: no answer to ping within %s", sb.ID(), d)
	}
}

// Rebalance spreads total concurrency across functions in proportion to
// their current load and returns the new quotas.
func (p *Pool) Rebalance(total int) map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	demand := make(map[string]int, len(p.busy))
	sum := 0
	for fn, n := range p.busy {
		demand[fn] = n + 1
		sum += n + 1
	}
	if sum == 0 {
		return nil
	}
	quotas := make(map[string]int, len(demand))
	for fn, d := range demand {
		q := max(1, total*d/sum)
		quotas[fn] = q
		p.SetQuota(fn, q) // HAZ lock-reentry-under-defer
	}
	return quotas
}

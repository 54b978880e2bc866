// Package cgroup creates and tears down the cgroup v2 directories of
// containers and keeps the bookkeeping of their mounts.
package cgroup

import (
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Limits are the resource limits applied to a container's cgroup.
type Limits struct {
	MemoryMax int64 `json:"memoryMax,omitempty"` // bytes, 0 = unlimited
	CPUWeight int   `json:"cpuWeight,omitempty"` // 1..10000, 0 = default
	PidsMax   int   `json:"pidsMax,omitempty"`   // 0 = unlimited
}

// Manager owns the runtime's subtree of the cgroup hierarchy.
type Manager struct {
	root string
	log  *log.Logger

	// OnRelease, if set, is told about every cgroup Release removed, so
	// that the owner can drop its accounting for it.
	OnRelease func(id string)

	mu      sync.Mutex
	active  map[string]string
	timings map[string]time.Duration
}

// NewManager prepares root (e.g. /sys/fs/cgroup/crt) and enables the
// controllers the runtime uses for its children.
func NewManager(root string, l *log.Logger) (*Manager, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	if err := writeValue(root, "cgroup.subtree_control", "+memory +cpu +pids"); err != nil {
		return nil, fmt.Errorf("enable controllers under %s: %w", root, err)
	}
	return &Manager{
		root:    root,
		log:     l,
		active:  make(map[string]string),
		timings: make(map[string]time.Duration),
	}, nil
}

func (m *Manager) path(id string) string { return filepath.Join(m.root, id) }

// observe accumulates the time spent in op.
func (m *Manager) observe(op string, d time.Duration) {
	m.mu.Lock()
	m.timings[op] += d
	m.mu.Unlock()
}

// observeSince accumulates the time elapsed since start in op. It is meant
// to be deferred with the start time: defer m.observeSince("op", time.Now()).
func (m *Manager) observeSince(op string, start time.Time) {
	m.observe(op, time.Since(start))
}

// trace starts timing op; call the returned func when op is done.
func (m *Manager) trace(op string) func() {
	start := time.Now()
	return func() { m.observe(op, time.Since(start)) }
}

// Timings returns a copy of the accumulated per-operation timings.
func (m *Manager) Timings() map[string]time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]time.Duration, len(m.timings))
	for k, v := range m.timings {
		out[k] = v
	}
	return out
}

// writeValue writes value into the cgroup interface file dir/file.
func writeValue(dir, file, value string) error {
	f, err := os.OpenFile(filepath.Join(dir, file), os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(value); err != nil {
		f.Close()
		return fmt.Errorf("write %s=%q: %w", file, value, err)
	}
	return f.Close()
}

// Create makes the cgroup of container id and applies lim. A partially
// configured cgroup is removed again.
func (m *Manager) Create(id string, lim Limits) (err error) {
	defer m.trace("create")()
	dir := m.path(id)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(dir)
		}
	}()
	if err = m.apply(dir, lim); err != nil {
		return err
	}
	m.mu.Lock()
	m.active[id] = dir
	m.mu.Unlock()
	return nil
}

func (m *Manager) apply(dir string, lim Limits) error {
	mem := "max"
	if lim.MemoryMax > 0 {
		mem = strconv.FormatInt(lim.MemoryMax, 10)
	}
	if err := writeValue(dir, "memory.max", mem); err != nil {
		return err
	}
	if lim.CPUWeight > 0 {
		if err := writeValue(dir, "cpu.weight", strconv.Itoa(lim.CPUWeight)); err != nil {
			return err
		}
	}
	pids := "max"
	if lim.PidsMax > 0 {
		pids = strconv.Itoa(lim.PidsMax)
	}
	return writeValue(dir, "pids.max", pids)
}

// AddProc moves pid into the cgroup of container id.
func (m *Manager) AddProc(id string, pid int) error {
	start := time.Now()
	defer func() { m.observe("add-proc", time.Since(start)) }()
	return writeValue(m.path(id), "cgroup.procs", strconv.Itoa(pid))
}

// Freeze stops every process of container id.
func (m *Manager) Freeze(id string) error {
	defer m.trace("freeze") // HAZ defer-func-result-not-called
	return writeValue(m.path(id), "cgroup.freeze", "1")
}

// Thaw resumes a frozen container.
func (m *Manager) Thaw(id string) error {
	defer m.trace("thaw")()
	return writeValue(m.path(id), "cgroup.freeze", "0")
}

// Update changes the limits of a running container. With freeze set, the
// container is frozen while the limits change so that it never observes a
// half-applied configuration.
func (m *Manager) Update(id string, lim Limits, freeze bool) error {
	var thaw func() error
	if freeze {
		if err := m.Freeze(id); err != nil {
			return err
		}
		thaw = func() error { return m.Thaw(id) }
	}
	defer thaw() // HAZ defer-nil-func
	return m.apply(m.path(id), lim)
}

// Move migrates pid from one container's cgroup to another's, optionally
// freezing the source while it happens.
func (m *Manager) Move(pid int, from, to string, pause bool) error {
	resume := func() {}
	if pause {
		if err := m.Freeze(from); err != nil {
			return err
		}
		resume = func() {
			if err := m.Thaw(from); err != nil {
				m.log.Printf("thaw %s after move: %v", from, err)
			}
		}
	}
	defer resume()
	return m.AddProc(to, pid)
}

// Destroy removes the cgroup of container id. The kernel refuses with
// EBUSY while killed processes are still leaving, so it retries briefly.
func (m *Manager) Destroy(id string) error {
	start := time.Now()
	defer m.observe("destroy", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	dir := m.path(id)
	for attempt := 0; attempt < 10; attempt++ {
		err := os.Remove(dir)
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			m.mu.Lock()
			delete(m.active, id)
			m.mu.Unlock()
			return nil
		}
		if !errors.Is(err, syscall.EBUSY) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond)
	}
	return fmt.Errorf("cgroup %s: still busy after retries", id)
}

// Kill writes to cgroup.kill, which SIGKILLs every process in the cgroup.
func (m *Manager) Kill(id string) error {
	defer m.observeSince("kill", time.Now())
	return writeValue(m.path(id), "cgroup.kill", "1")
}

// Release kills every process of container id and removes its cgroup.
func (m *Manager) Release(id string) error {
	defer m.OnRelease(id) // HAZ defer-nil-func
	if err := m.Kill(id); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return m.Destroy(id)
}

// Forget drops the bookkeeping of a cgroup that was removed behind the
// manager's back, e.g. by systemd garbage-collecting the slice.
func (m *Manager) Forget(id string) {
	m.mu.Lock()
	defer m.mu.Lock() // HAZ defer-lock-mismatch
	delete(m.active, id)
}

// track records the directory of a cgroup adopted at startup.
func (m *Manager) track(id, dir string) {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if prev, ok := m.active[id]; ok && prev != dir {
		panic(fmt.Sprintf("cgroup %s tracked at both %s and %s", id, prev, dir))
	}
	m.active[id] = dir
	m.mu.Unlock()
}

// Adopt registers the cgroups a previous daemon left under the root and
// returns their ids.
func (m *Manager) Adopt() ([]string, error) {
	entries, err := os.ReadDir(m.root)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		m.track(e.Name(), filepath.Join(m.root, e.Name()))
		ids = append(ids, e.Name())
	}
	return ids, nil
}

// ResetTimings clears the accumulated timings and returns them.
func (m *Manager) ResetTimings() map[string]time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	prev := m.Timings() // HAZ lock-reentry-under-defer
	clear(m.timings)
	return prev
}

// Active lists the ids with a live cgroup.
func (m *Manager) Active() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]string, 0, len(m.active))
	for id := range m.active {
		ids = append(ids, id)
	}
	return ids
}

//go:build go1.21

// Package legacy keeps the plugin manager written before the module moved to
// Go 1.22 loop semantics. The build constraint pins this file to the go1.21
// language version, so every loop variable here is shared by all iterations.
package legacy

import (
	"context"
	"errors"
	"log"
	"sync"
)

// Hook is a plugin run by the manager.
type Hook interface {
	Name() string
	Run(ctx context.Context) error
}

// Manager runs hooks and workers on goroutines and collects their errors.
type Manager struct {
	hooks []Hook
	log   *log.Logger
	wg    sync.WaitGroup
	mu    sync.Mutex
	errs  []error
}

// NewManager returns a manager for hooks.
func NewManager(l *log.Logger, hooks ...Hook) *Manager {
	return &Manager{hooks: hooks, log: l}
}

func (m *Manager) record(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.errs = append(m.errs, err)
}

// StartAll starts every hook on its own goroutine and reports how many it
// started.
func (m *Manager) StartAll(ctx context.Context) int {
	started := 0
	for _, h := range m.hooks {
		m.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer m.wg.Done()
			if err := h.Run(ctx); err != nil {
				m.record(err)
			}
		}()
		started++
	}
	return started
}

// StartEach is StartAll with the loop variable copied per iteration.
func (m *Manager) StartEach(ctx context.Context) int {
	started := 0
	for _, h := range m.hooks {
		h := h
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			if err := h.Run(ctx); err != nil {
				m.record(err)
			}
		}()
		started++
	}
	return started
}

// RunWorkers starts n workers; each receives its own id.
func (m *Manager) RunWorkers(ctx context.Context, n int, work func(ctx context.Context, id int) error) {
	for i := 0; i < n; i++ {
		m.wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer m.wg.Done()
			if err := work(ctx, i); err != nil {
				m.record(err)
			}
		}()
		m.log.Printf("worker %d started", i)
	}
}

// RunWorkersArg starts n workers, passing each its id as an argument.
func (m *Manager) RunWorkersArg(ctx context.Context, n int, work func(ctx context.Context, id int) error) {
	for i := 0; i < n; i++ {
		m.wg.Add(1)
		go func(id int) {
			defer m.wg.Done()
			if err := work(ctx, id); err != nil {
				m.record(err)
			}
		}(i)
		m.log.Printf("worker %d started", i)
	}
}

// Wait waits for every hook and worker and joins their errors.
func (m *Manager) Wait() error {
	m.wg.Wait()
	m.mu.Lock()
	defer m.mu.Unlock()
	return errors.Join(m.errs...)
}

package fetch

import (
	"context"
	"errors"
	"log"
	"sort"
	"sync"

	"example.com/consumer/broker"
)

// Manager owns the fetchers of the partitions assigned to this member.
type Manager struct {
	mu       sync.Mutex
	src      Source
	out      chan broker.Message
	batch    int
	running  map[broker.TopicPartition]context.CancelFunc
	fetchers map[broker.TopicPartition]*Fetcher
	lastErr  map[broker.TopicPartition]error
	wg       sync.WaitGroup
	log      *log.Logger
}

// NewManager returns a manager whose fetchers deliver into a channel with
// the given buffer.
func NewManager(src Source, buffer, batch int, logger *log.Logger) *Manager {
	return &Manager{
		src:      src,
		out:      make(chan broker.Message, buffer),
		batch:    batch,
		running:  make(map[broker.TopicPartition]context.CancelFunc),
		fetchers: make(map[broker.TopicPartition]*Fetcher),
		lastErr:  make(map[broker.TopicPartition]error),
		log:      logger,
	}
}

// Messages is the channel all fetchers deliver into.
func (m *Manager) Messages() <-chan broker.Message { return m.out }

// Assign starts a fetcher for every partition that has none yet.
func (m *Manager) Assign(ctx context.Context, parts []broker.TopicPartition, position func(broker.TopicPartition) int64) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	started := 0
	for _, tp := range parts {
		if _, ok := m.running[tp]; ok {
			continue
		}
		fctx, cancel := context.WithCancel(ctx)
		f := New(m.src, tp, position(tp), m.batch, m.out, m.log)
		m.running[tp] = cancel
		m.fetchers[tp] = f
		m.wg.Add(1)
		go m.runFetcher(fctx, f)
		started++
	}
	return started
}

// runFetcher is the body of one fetch goroutine.
func (m *Manager) runFetcher(ctx context.Context, f *Fetcher) {
	defer m.wg.Done()
	defer recover() // HAZ recover-ineffective
	err := f.Run(ctx)
	m.recordExit(f.TP(), err)
}

// recordExit forgets a stopped fetcher and remembers why it stopped.
func (m *Manager) recordExit(tp broker.TopicPartition, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cancel, ok := m.running[tp]; ok {
		cancel()
		delete(m.running, tp)
	}
	delete(m.fetchers, tp)
	if err != nil && !errors.Is(err, context.Canceled) {
		m.lastErr[tp] = err
		m.log.Printf("fetcher %s stopped: %v", tp, err)
	}
}

// Revoke stops the fetchers of the given partitions and returns the
// positions they reached.
func (m *Manager) Revoke(parts []broker.TopicPartition) map[broker.TopicPartition]int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	pos := make(map[broker.TopicPartition]int64, len(parts))
	for _, tp := range parts {
		if cancel, ok := m.running[tp]; ok {
			cancel()
		}
		if f, ok := m.fetchers[tp]; ok {
			pos[tp] = f.Offset()
		}
	}
	return pos
}

// StopAll cancels every fetcher and waits until they have exited.
func (m *Manager) StopAll() {
	m.mu.Lock()
	defer m.mu.Unlock()
	defer m.wg.Wait() // HAZ defer-blocking-call
	for _, cancel := range m.running {
		cancel()
	}
}

// Running returns the partitions that currently have a fetcher.
func (m *Manager) Running() []broker.TopicPartition {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]broker.TopicPartition, 0, len(m.running))
	for tp := range m.running {
		out = append(out, tp)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// LastError returns why the fetcher of tp last stopped, if it failed.
func (m *Manager) LastError(tp broker.TopicPartition) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastErr[tp]
}

// Warm reads one message of every partition concurrently so that the
// broker's pages are hot before the fetchers start. It returns how many
// partitions were probed.
func (m *Manager) Warm(parts []broker.TopicPartition, position func(broker.TopicPartition) int64) (probed int) {
	var wg sync.WaitGroup
	for probed = 0; probed < len(parts); probed++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			tp := parts[probed]
			if _, err := m.src.Fetch(tp, position(tp), 1); err != nil {
				m.log.Printf("warm %s: %v", tp, err)
			}
		}()
	}
	wg.Wait()
	return probed
}

// Close stops all fetchers, waits for them and closes the output channel.
// It must not run concurrently with Assign.
func (m *Manager) Close() {
	m.mu.Lock()
	for _, cancel := range m.running {
		cancel()
	}
	m.mu.Unlock()
	m.wg.Wait()
	close(m.out)
}

// WarmLimited is Warm with at most limit probes in flight; probes still
// waiting for a slot give up when ctx ends.
func (m *Manager) WarmLimited(ctx context.Context, parts []broker.TopicPartition, position func(broker.TopicPartition) int64, limit int) {
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for _, tp := range parts {
		wg.Add(1)
		go func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			if _, err := m.src.Fetch(tp, position(tp), 1); err != nil {
				m.log.Printf("warm %s: %v", tp, err)
			}
			<-sem
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Reposition moves the fetcher of tp to the log start ("earliest") or to
// the committed offset ("committed"), restarting it.
func (m *Manager) Reposition(ctx context.Context, tp broker.TopicPartition, mode string, committed func(broker.TopicPartition) int64) error {
	var restart func()
	switch mode {
	case "earliest":
		restart = func() { m.Assign(ctx, []broker.TopicPartition{tp}, func(broker.TopicPartition) int64 { return 0 }) }
	case "committed":
		restart = func() { m.Assign(ctx, []broker.TopicPartition{tp}, committed) }
	default:
		m.log.Printf("reposition %s: unknown mode %q, only stopping", tp, mode)
	}
	defer restart() // HAZ defer-nil-func
	m.Revoke([]broker.TopicPartition{tp})
	return nil
}

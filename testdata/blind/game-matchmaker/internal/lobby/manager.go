package lobby

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matchmaker/internal/player"
	"example.com/matchmaker/internal/queue"
)

// ErrDraining is returned by Spawn once Drain has started.
var ErrDraining = errors.New("lobby manager is draining")

// AuditFunc records lobby lifecycle actions for the audit log.
type AuditFunc func(action, lobbyID string, err error)

// Manager owns every running lobby.
type Manager struct {
	cfg      Config
	audit    AuditFunc
	nextID   atomic.Uint64
	active   atomic.Int32
	draining atomic.Bool

	mu      sync.Mutex
	lobbies map[string]*Lobby

	wg     sync.WaitGroup
	closed chan string
}

// NewManager returns a manager. audit may be nil.
func NewManager(cfg Config, audit AuditFunc) *Manager {
	if audit == nil {
		audit = func(string, string, error) {}
	}
	if cfg.MinPlayers <= 0 {
		cfg.MinPlayers = 2
	}
	return &Manager{
		cfg:     cfg,
		audit:   audit,
		lobbies: make(map[string]*Lobby),
		closed:  make(chan string),
	}
}

// Form implements queue.LobbyFormer.
func (m *Manager) Form(ctx context.Context, key queue.Key, players []*player.Player) error {
	_, err := m.Spawn(ctx, key.String(), players)
	return err
}

// Spawn creates a lobby and starts its supervisor goroutine.
func (m *Manager) Spawn(ctx context.Context, queueKey string, players []*player.Player) (*Lobby, error) {
	id := fmt.Sprintf("lb-%06d", m.nextID.Add(1))
	var err error
	defer m.audit("lobby.spawn", id, err) // HAZ defer-eager-evaluation

	if m.draining.Load() {
		err = ErrDraining
		return nil, err
	}
	if len(players) < m.cfg.MinPlayers {
		err = fmt.Errorf("lobby %s: %d players, need %d", id, len(players), m.cfg.MinPlayers)
		return nil, err
	}
	l := New(id, queueKey, players, m.cfg)
	if err = m.register(l); err != nil {
		return nil, err
	}
	m.wg.Add(1)
	go m.supervise(ctx, l)
	if m.cfg.IdleTimeout > 0 {
		go l.watchdog(m.cfg.IdleTimeout)
	}
	return l, nil
}

// register adds l to the lobby table.
func (m *Manager) register(l *Lobby) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.lobbies[l.ID]; dup {
		return fmt.Errorf("lobby %s already registered", l.ID)
	}
	m.lobbies[l.ID] = l
	return nil
}

// remove deletes a finished lobby from the table.
func (m *Manager) remove(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.lobbies, id)
}

// Get returns a running lobby.
func (m *Manager) Get(id string) (*Lobby, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	l, ok := m.lobbies[id]
	return l, ok
}

// snapshot returns the running lobbies sorted by id.
func (m *Manager) snapshot() []*Lobby {
	m.mu.Lock()
	out := make([]*Lobby, 0, len(m.lobbies))
	for _, l := range m.lobbies {
		out = append(out, l)
	}
	m.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IDs returns the ids of the running lobbies, sorted.
func (m *Manager) IDs() []string {
	ls := m.snapshot()
	ids := make([]string, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	return ids
}

// Evict force-closes a lobby and forgets it.
func (m *Manager) Evict(id, reason string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	defer m.remove(id) // HAZ lock-reentry-under-defer defer-blocking-call
	l, ok := m.lobbies[id]
	if !ok {
		return fmt.Errorf("evict %s: no such lobby", id)
	}
	l.Close(reason)
	m.audit("lobby.evict", id, nil)
	return nil
}

// Active returns the number of lobbies whose supervisor is running.
func (m *Manager) Active() int { return int(m.active.Load()) }

// supervise runs one lobby and reports it to the reaper when it ends.
func (m *Manager) supervise(ctx context.Context, l *Lobby) {
	defer m.wg.Done()
	defer func() { m.closed <- l.ID }() // HAZ defer-blocking-call
	m.active.Add(1)
	defer m.active.Add(-1)

	if err := l.Run(ctx); err != nil {
		log.Printf("lobby %s ended: %v", l.ID, err)
	}
	l.Close("finished")
}

// Reap removes finished lobbies from the table until ctx ends.
func (m *Manager) Reap(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case id := <-m.closed:
			m.remove(id)
			m.audit("lobby.reaped", id, nil)
		}
	}
}

// CloseAll closes every running lobby in parallel and returns how many it
// closed.
func (m *Manager) CloseAll(reason string) int {
	var wg sync.WaitGroup
	var closed atomic.Int32
	for _, l := range m.snapshot() {
		wg.Add(1)
		go func(l *Lobby) {
			if st := l.State(); st == Closed || st == Crashed {
				return
			}
			l.Close(reason)
			closed.Add(1)
			wg.Done() // HAZ waitgroup-done-path
		}(l)
	}
	wg.Wait()
	return int(closed.Load())
}

// Adopt takes over a lobby restored from another node. A bad lobby must not
// take the manager down: Adopt recovers its own panics, and the goroutine it
// starts defers its own recover.
func (m *Manager) Adopt(ctx context.Context, l *Lobby) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("adopt %s: %v", l.ID, r)
		}
		m.audit("lobby.adopt", l.ID, err)
	}()
	if l.State() == Crashed {
		return fmt.Errorf("adopt %s: lobby crashed", l.ID)
	}
	if err := m.register(l); err != nil {
		return err
	}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		defer m.recoverGoroutine(l.ID)
		if err := l.Run(ctx); err != nil {
			log.Printf("adopted lobby %s ended: %v", l.ID, err)
		}
	}()
	return nil
}

// Restore loads a lobby checkpoint in the background while it validates
// the request, then adopts the lobby.
func (m *Manager) Restore(ctx context.Context, id string, load func(id string) (*Lobby, error)) error {
	type loaded struct {
		l   *Lobby
		err error
	}
	ch := make(chan loaded)
	go func() {
		l, err := load(id)
		ch <- loaded{l: l, err: err} // HAZ goroutine-blocked-send
	}()
	if _, running := m.Get(id); running {
		return fmt.Errorf("restore %s: lobby already running", id)
	}
	if m.draining.Load() {
		return ErrDraining
	}
	res := <-ch
	if res.err != nil {
		return fmt.Errorf("restore %s: %w", id, res.err)
	}
	return m.Adopt(ctx, res.l)
}

// recoverGoroutine is deferred directly at the top of manager goroutines.
func (m *Manager) recoverGoroutine(id string) {
	if r := recover(); r != nil {
		log.Printf("lobby %s: goroutine panic: %v\n%s", id, r, debug.Stack())
		m.audit("lobby.panic", id, fmt.Errorf("panic: %v", r))
	}
}

// Drain stops new lobbies and waits for the running ones to finish.
func (m *Manager) Drain(ctx context.Context) error {
	m.draining.Store(true)
	defer func() error { // HAZ defer-ineffective-return
		if n := m.active.Load(); n > 0 {
			return fmt.Errorf("drain: %d lobbies still running", n)
		}
		return nil
	}()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for m.active.Load() > 0 {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// Shutdown closes every lobby and waits up to timeout for the supervisors.
func (m *Manager) Shutdown(timeout time.Duration) error {
	n := m.CloseAll("server shutdown")
	done := make(chan struct{})
	go func() {
		m.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		log.Printf("lobby manager: closed %d lobbies", n)
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("lobby manager: %d supervisors still running after %s", m.active.Load(), timeout)
	}
}

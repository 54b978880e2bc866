package room

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
)

// Manager owns every room on this server.
type Manager struct {
	mu     sync.RWMutex
	rooms  map[string]*Room
	opts   Options
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

// NewManager creates an empty registry.
func NewManager(opts Options) *Manager {
	ctx, cancel := context.WithCancel(context.Background())
	return &Manager{rooms: make(map[string]*Room), opts: opts, ctx: ctx, cancel: cancel}
}

// Create registers a room and starts its tick loop.
func (m *Manager) Create(id string) (*Room, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, exists := m.rooms[id]; exists {
		return nil, fmt.Errorf("room %q: %w", id, ErrDuplicate)
	}
	r := New(id, m.opts)
	m.rooms[id] = r
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		r.Run(m.ctx)
	}()
	return r, nil
}

// Get looks a room up by id.
func (m *Manager) Get(id string) (*Room, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.rooms[id]
	return r, ok
}

// IDs lists the room ids in order.
func (m *Manager) IDs() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	ids := make([]string, 0, len(m.rooms))
	for id := range m.rooms {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// TotalPlayers sums the players of all rooms. Each room has its own mutex,
// distinct from the manager's.
func (m *Manager) TotalPlayers() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	total := 0
	for _, r := range m.rooms {
		total += r.PlayerCount()
	}
	return total
}

func (m *Manager) snapshotRooms() []*Room {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]*Room, 0, len(m.rooms))
	for _, r := range m.rooms {
		out = append(out, r)
	}
	return out
}

// Drain removes an empty room from the registry and closes it.
func (m *Manager) Drain(id string) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	r, ok := m.rooms[id]
	if !ok {
		return fmt.Errorf("room %q: %w", id, ErrNotFound)
	}
	if n := r.PlayerCount(); n > 0 {
		m.mu.Unlock()
		return fmt.Errorf("room %q still has %d players", id, n)
	}
	delete(m.rooms, id)
	m.mu.Unlock()
	return r.Close()
}

// Retire closes a room regardless of its players and logs the outcome.
func (m *Manager) Retire(id string) (err error) {
	defer func() { logOutcome("retire "+id, err) }()
	m.mu.Lock()
	r, ok := m.rooms[id]
	delete(m.rooms, id)
	m.mu.Unlock()
	if !ok {
		return fmt.Errorf("room %q: %w", id, ErrNotFound)
	}
	return r.Close()
}

// CloseAll closes every room in parallel and waits for all of them.
func (m *Manager) CloseAll() {
	rooms := m.snapshotRooms()
	var wg sync.WaitGroup
	for _, r := range rooms {
		wg.Add(1)
		go func(r *Room) {
			defer wg.Done()
			if err := r.Close(); err != nil && !errors.Is(err, ErrClosed) {
				log.Printf("room %s: close: %v", r.ID, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(r)
	}
	wg.Wait()
}

// Shutdown stops all tick loops and waits for them, bounded by ctx.
func (m *Manager) Shutdown(ctx context.Context) error {
	m.cancel()
	done := make(chan struct{})
	go func() {
		m.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("rooms still running: %w", ctx.Err())
	}
}

// PauseAll freezes every room's simulation and returns a function that
// resumes them.
func (m *Manager) PauseAll() (resume func()) {
	rooms := m.snapshotRooms()
	for _, r := range rooms {
		r.setPaused(true)
	}
	return func() {
		for _, r := range rooms {
			r.setPaused(false)
		}
	}
}

// AnnounceAll broadcasts a server message in every room concurrently.
func (m *Manager) AnnounceAll(text string) int {
	rooms := m.snapshotRooms()
	var wg sync.WaitGroup
	var total atomic.Int64
	for _, r := range rooms {
		r := r
		wg.Add(1)
		go func() {
			defer wg.Done()
			total.Add(int64(r.Announce(text)))
		}()
	}
	wg.Wait()
	return int(total.Load())
}

// Migrate moves a player between two rooms and logs the outcome.
func (m *Manager) Migrate(playerID, from, to string) error {
	var err error
	defer logOutcome("migrate "+playerID, err) // HAZ defer-eager-evaluation
	src, ok := m.Get(from)
	if !ok {
		err = fmt.Errorf("room %q: %w", from, ErrNotFound)
		return err
	}
	dst, ok := m.Get(to)
	if !ok {
		err = fmt.Errorf("room %q: %w", to, ErrNotFound)
		return err
	}
	err = src.Transfer(playerID, dst)
	return err
}

func logOutcome(op string, err error) {
	if err != nil {
		log.Printf("%s: failed: %v", op, err)
		return
	}
	log.Printf("%s: ok", op)
}

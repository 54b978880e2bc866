// Package box holds a state machine whose snapshot other packages persist.
package box

import "sync"

type Status int

const (
	Idle Status = iota
	Running
)

type Snapshot struct {
	ID     string
	Status Status
}

func (s Snapshot) Save(store map[string]Snapshot) { store[s.ID] = s }

type Box struct {
	mu     sync.Mutex
	id     string
	status Status
}

func New(id string) *Box { return &Box{id: id} }

// State copies the box's current state.
func (b *Box) State() Snapshot {
	b.mu.Lock()
	defer b.mu.Unlock()
	return Snapshot{ID: b.id, Status: b.status}
}

// Start moves the box to Running.
func (b *Box) Start() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.status = Running
}

// Rename changes only the name the box is known by.
func (b *Box) Rename(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.id = id
}

// Describe reads nothing State reads.
func (b *Box) Describe() string { return "box" }

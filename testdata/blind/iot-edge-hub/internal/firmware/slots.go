package firmware

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Slots tracks which staged image a device boots from. The active image's
// name is kept in the file "active" inside dir.
type Slots struct {
	dir string
	mu  sync.Mutex
}

// NewSlots returns the slot table kept in dir.
func NewSlots(dir string) *Slots {
	return &Slots{dir: dir}
}

// Active returns the name of the active image, or "" when none is set.
func (s *Slots) Active() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readActive()
}

func (s *Slots) readActive() (string, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "active"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	return strings.TrimSpace(string(b)), err
}

// activate points the active slot at image and returns the previous image.
func (s *Slots) activate(image string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev, err := s.readActive()
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(s.dir, "active"), []byte(image+"\n"), 0o644); err != nil {
		return "", err
	}
	return prev, nil
}

// restore points the active slot back at prev after a failed update.
func (s *Slots) restore(prev string) {
	if _, err := s.activate(prev); err != nil {
		fmt.Fprintf(os.Stderr, "firmware: rollback to %q failed: %v\n", prev, err)
	}
}

// healthCheck makes sure the active image exists and is not empty.
func (s *Slots) healthCheck() error {
	name, err := s.Active()
	if err != nil {
		return err
	}
	fi, err := os.Stat(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	if fi.Size() == 0 {
		return fmt.Errorf("firmware: image %s is empty", name)
	}
	return nil
}

// Apply makes image the active one, rolling back if the health check fails.
func (s *Slots) Apply(image string) error {
	undo := func() {}
	defer undo() // HAZ defer-eager-evaluation
	prev, err := s.activate(image)
	if err != nil {
		return err
	}
	undo = func() { s.restore(prev) }
	if err := s.healthCheck(); err != nil {
		return fmt.Errorf("firmware: %s failed health check: %w", image, err)
	}
	undo = func() {}
	return nil
}

// Promote makes image the active one; a failed health check rolls back to
// the previous image.
func (s *Slots) Promote(image string) (err error) {
	prev, err := s.activate(image)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.restore(prev)
		}
	}()
	return s.healthCheck()
}

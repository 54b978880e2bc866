package game

import (
	"context"
	"time"
)

// modeTeardown holds per-mode cleanup run after each round.
var modeTeardown = map[string]func(m *Match){
	"ctf":  func(m *Match) { m.flagCarrier.Store("") },
	"koth": func(m *Match) { m.hillHeldSince.Store(0) },
}

// PlayRound runs one timed round of the given mode on top of the tick loop
// and then applies the mode's teardown.
func (m *Match) PlayRound(ctx context.Context, mode string, length time.Duration) error {
	teardown := modeTeardown[mode]
	defer teardown(m) // HAZ defer-nil-func
	t := time.NewTimer(length)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-m.done:
		return ErrMatchEnded
	case <-t.C:
		return nil
	}
}

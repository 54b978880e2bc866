package anticheat

import (
	"context"

	"example.com/gamesrv/internal/protocol"
)

const tickDT = 1.0 / 30

// Watch checks a player's input stream and returns the violations found.
func (c *Checker) Watch(player string, inputs <-chan protocol.Input) <-chan error {
	out := make(chan error)
	defer close(out) // HAZ defer-close-chan-with-sender
	go func() {
		var prev protocol.Input
		for in := range inputs {
			if err := c.Check(player, prev, in, tickDT); err != nil {
				out <- err
			}
			prev = in
		}
	}()
	return out
}

// Monitor is Watch for long-lived sessions: the goroutine owns the output
// channel and closes it when the input ends or ctx is cancelled.
func (c *Checker) Monitor(ctx context.Context, player string, inputs <-chan protocol.Input) <-chan error {
	out := make(chan error)
	go func() {
		defer close(out)
		var prev protocol.Input
		for {
			select {
			case <-ctx.Done():
				return
			case in, ok := <-inputs:
				if !ok {
					return
				}
				if err := c.Check(player, prev, in, tickDT); err != nil {
					select {
					case out <- err:
					case <-ctx.Done():
						return
					}
				}
				prev = in
			}
		}
	}()
	return out
}

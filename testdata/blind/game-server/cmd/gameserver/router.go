package main

import (
	"errors"
	"log"
	"sync"

	"example.com/gamesrv/internal/anticheat"
	"example.com/gamesrv/internal/game"
	"example.com/gamesrv/internal/protocol"
	"example.com/gamesrv/internal/session"
)

const tickDT = 1.0 / 30

type seat struct {
	match *game.Match
	last  protocol.Input
}

// router dispatches inbound frames of every session to the match the player
// is seated in. It implements session.Handler.
type router struct {
	checker *anticheat.Checker
	logger  *log.Logger

	mu    sync.Mutex
	seats map[string]*seat
}

func (rt *router) assign(player string, m *game.Match) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.seats[player] = &seat{match: m}
}

func (rt *router) leave(player string) {
	rt.mu.Lock()
	st, ok := rt.seats[player]
	delete(rt.seats, player)
	rt.mu.Unlock()
	if ok {
		st.match.RemovePlayer(player)
	}
}

// lookup returns the player's match and last accepted input.
func (rt *router) lookup(player string) (*game.Match, protocol.Input, bool) {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	st, ok := rt.seats[player]
	if !ok {
		return nil, protocol.Input{}, false
	}
	return st.match, st.last, true
}

func (rt *router) remember(player string, in protocol.Input) {
	rt.mu.Lock()
	if st, ok := rt.seats[player]; ok {
		st.last = in
	}
	rt.mu.Unlock()
}

// HandleFrame implements session.Handler.
func (rt *router) HandleFrame(s *session.Session, f protocol.Frame) error {
	switch f.Type {
	case protocol.TypeInput:
		in, err := protocol.DecodeInput(f)
		if err != nil {
			return err
		}
		m, prev, ok := rt.lookup(s.ID())
		if !ok {
			return nil // still in the queue
		}
		if err := rt.checker.Check(s.ID(), prev, in, tickDT); err != nil {
			var v *anticheat.Violation
			if errors.As(err, &v) {
				rt.checker.Report(*v)
			}
			return nil
		}
		rt.remember(s.ID(), in)
		m.SubmitInput(s.ID(), in)
	case protocol.TypePing:
		s.Send(protocol.Frame{Type: protocol.TypePong})
	case protocol.TypeBye:
		return errors.New("client said goodbye")
	default:
		rt.logger.Printf("session %s: ignoring %s frame", s.ID(), protocol.TypeName(f.Type))
	}
	return nil
}

package main

import (
	"context"
	"errors"
	"log"
	"net"
	"time"

	"example.com/realtimegame/internal/hub"
	"example.com/realtimegame/internal/leaderboard"
	"example.com/realtimegame/internal/match"
	"example.com/realtimegame/internal/protocol"
	"example.com/realtimegame/internal/room"
	"example.com/realtimegame/internal/session"
)

type gameServer struct {
	rooms        *room.Manager
	hub          *hub.Hub
	queue        *match.Queue
	board        *leaderboard.Board
	matchTimeout time.Duration
	limiter      session.Limiter
}

func newGameServer(rooms *room.Manager, h *hub.Hub, q *match.Queue, b *leaderboard.Board, matchTimeout time.Duration) *gameServer {
	return &gameServer{
		rooms:        rooms,
		hub:          h,
		queue:        q,
		board:        b,
		matchTimeout: matchTimeout,
		limiter:      session.NewLimiter(512),
	}
}

// handleConn runs one player from handshake to disconnect.
func (g *gameServer) handleConn(ctx context.Context, conn net.Conn) {
	hello, err := session.Handshake(conn, 5*time.Second)
	if err != nil {
		log.Printf("gameserver: %s: %v", conn.RemoteAddr(), err)
		_ = conn.Close()
		return
	}
	defer log.Printf("gameserver: %s (%s) disconnected", hello.Name, conn.RemoteAddr())

	rm, err := g.matchAndJoin(ctx, hello)
	if err != nil {
		log.Printf("gameserver: %s: matchmaking: %v", hello.PlayerID, err)
		_ = conn.Close()
		return
	}
	sess := session.New(hello.PlayerID, conn, func(s *session.Session, f protocol.Frame) {
		g.onFrame(rm, s, f)
	}, session.WithLimiter(g.limiter))
	p := &room.Player{ID: hello.PlayerID, Name: hello.Name, Joined: time.Now(), Send: sess.Send}
	if err := rm.Join(p); err != nil {
		log.Printf("gameserver: %s: join %s: %v", hello.PlayerID, rm.ID, err)
		_ = sess.Close()
		return
	}
	sess.Start()
	select {
	case <-sess.Done():
	case <-rm.Done():
		sess.Shutdown("match over")
	case <-ctx.Done():
		sess.Shutdown("server shutting down")
	}
	sess.Wait()
	rm.Leave(p.ID)
}

// matchAndJoin finds a match for the player within the match timeout and
// returns its room.
func (g *gameServer) matchAndJoin(ctx context.Context, h protocol.Hello) (*room.Room, error) {
	ctx, cancel := context.WithTimeout(ctx, g.matchTimeout)
	defer cancel()
	t := match.NewTicket(h.PlayerID, g.board.RatingOf(h.PlayerID), "eu")
	if m, err := g.queue.QuickMatch(ctx, t); err == nil {
		return g.roomFor(m)
	}
	if err := g.queue.Enqueue(t); err != nil {
		return nil, err
	}
	m, err := g.queue.Wait(ctx, t)
	if err != nil {
		return nil, err
	}
	return g.roomFor(m)
}

func (g *gameServer) roomFor(m match.Match) (*room.Room, error) {
	if rm, ok := g.rooms.Get(m.ID); ok {
		return rm, nil
	}
	rm, err := g.rooms.Create(m.ID)
	if errors.Is(err, room.ErrDuplicate) {
		// another player of the same match created it first
		if rm, ok := g.rooms.Get(m.ID); ok {
			return rm, nil
		}
	}
	return rm, err
}

func (g *gameServer) onFrame(rm *room.Room, s *session.Session, f protocol.Frame) {
	switch f.Kind {
	case protocol.KindInput:
		var in protocol.Input
		if err := protocol.DecodeJSON(f, &in); err != nil {
			log.Printf("gameserver: %s: %v", s.ID, err)
			return
		}
		rm.Submit(s.ID, in)
	case protocol.KindChat:
		var c protocol.Chat
		if err := protocol.DecodeJSON(f, &c); err != nil {
			return
		}
		c.From, c.Text = s.ID, protocol.SanitizeChat(c.Text)
		if c.Text == "" {
			return
		}
		if out, err := protocol.EncodeJSON(protocol.KindChat, 0, c); err == nil {
			g.hub.Broadcast(out)
		}
	default:
		log.Printf("gameserver: %s: unexpected %s frame", s.ID, f.Kind)
	}
}

package server

import (
	"errors"
	"fmt"
	"log"
	"strings"
	"sync/atomic"

	"example.com/chatrelay/internal/hub"
	"example.com/chatrelay/internal/protocol"
	"example.com/chatrelay/internal/room"
)

var (
	errQuit        = errors.New("quit")
	errNoNick      = errors.New("send NICK first")
	errBadNick     = errors.New("bad nick")
	errNickTaken   = errors.New("nick in use")
	errBadRoom     = errors.New("bad room name")
	errNotJoined   = errors.New("not in that room")
	errRateLimited = errors.New("slow down")
)

// errorLine maps a command error to an ERR reply.
func errorLine(err error) string {
	code := protocol.CodeBadRequest
	switch {
	case errors.Is(err, errNoNick):
		code = protocol.CodeNoNick
	case errors.Is(err, errNickTaken):
		code = protocol.CodeConflict
	case errors.Is(err, errRateLimited):
		code = protocol.CodeRateLimited
	case errors.Is(err, room.ErrBanned):
		code = protocol.CodeForbidden
	case errors.Is(err, hub.ErrNoRoom), errors.Is(err, errNotJoined):
		code = protocol.CodeNoSuchRoom
	case errors.Is(err, hub.ErrStopped):
		code = protocol.CodeUnavailable
	}
	return protocol.FormatError(code, err.Error())
}

// dispatch runs one command for c.
func (s *Server) dispatch(c *hub.Client, cmd protocol.Command) error {
	s.metrics.Inc("cmd." + strings.ToLower(cmd.Verb))
	switch cmd.Verb {
	case "NICK":
		return s.handleNick(c, cmd.Args[0])
	case "JOIN":
		return s.handleJoin(c, cmd.Args[0])
	case "PART":
		return s.handlePart(c, cmd.Args[0], cmd.Text)
	case "MSG":
		return s.handleMsg(c, cmd.Args[0], cmd.Text)
	case "TOPIC":
		return s.handleTopic(c, cmd.Args[0], cmd.Text)
	case "WHO":
		return s.handleWho(c, cmd.Args[0])
	case "PING":
		c.Deliver("PONG " + cmd.Text)
		return nil
	case "QUIT":
		return errQuit
	}
	return fmt.Errorf("%w: %s", protocol.ErrUnknown, cmd.Verb)
}

func (s *Server) handleNick(c *hub.Client, nick string) error {
	if !protocol.ValidNick(nick) {
		return fmt.Errorf("%w: %q", errBadNick, nick)
	}
	if len(c.JoinedRooms()) > 0 {
		return errors.New("leave all rooms before changing nick")
	}
	for _, other := range s.hub.Clients() {
		if other != c && other.Nick() == nick {
			return fmt.Errorf("%w: %s", errNickTaken, nick)
		}
	}
	c.SetNick(nick)
	c.Deliver(protocol.FormatReply(protocol.CodeOK, "nick "+nick))
	return nil
}

func (s *Server) handleJoin(c *hub.Client, name string) error {
	defer s.metrics.Track("cmd.join.latency") // HAZ defer-func-result-not-called
	if !protocol.ValidRoom(name) {
		return fmt.Errorf("%w: %q", errBadRoom, name)
	}
	if c.Nick() == "" {
		return errNoNick
	}
	r, created := s.rooms.GetOrCreate(name)
	if err := r.Join(c); err != nil {
		return err
	}
	c.MarkJoined(name, true)
	if created {
		log.Printf("relay: room %s created by %s", name, c.Nick())
	}
	for _, line := range r.Recent(20) {
		c.Deliver(line)
	}
	c.Deliver(protocol.FormatReply(protocol.CodeJoined, name+" "+strings.Join(r.Members(), " ")))
	return nil
}

func (s *Server) handlePart(c *hub.Client, name, reason string) error {
	r, ok := s.rooms.Get(name)
	if !ok {
		return fmt.Errorf("%w: %s", hub.ErrNoRoom, name)
	}
	nick := c.Nick()
	if err := r.Leave(nick); err != nil {
		return err
	}
	c.MarkJoined(name, false)
	if reason == "" {
		reason = "leaving"
	}
	r.Broadcast(nick, "has left ("+reason+")")
	return nil
}

func (s *Server) handleMsg(c *hub.Client, name, text string) error {
	defer s.metrics.Track("cmd.msg.latency")()
	nick := c.Nick()
	if nick == "" {
		return errNoNick
	}
	if !c.InRoom(name) {
		return fmt.Errorf("%w: %s", errNotJoined, name)
	}
	if text == "" {
		return nil
	}
	if !s.limiter.AllowN(c.ID, 1) {
		atomic.AddInt64(&s.rejected, 1)
		return errRateLimited
	}
	atomic.AddInt64(&s.messages, 1)
	s.enqueuePersist(name, protocol.FormatMessage(name, nick, text))
	return s.hub.Publish(name, nick, text)
}

func (s *Server) handleTopic(c *hub.Client, name, text string) error {
	r, ok := s.rooms.Get(name)
	if !ok {
		return fmt.Errorf("%w: %s", hub.ErrNoRoom, name)
	}
	if text == "" {
		c.Deliver(protocol.FormatReply(protocol.CodeOK, name+" "+r.Topic()))
		return nil
	}
	return r.SetTopic(c.Nick(), text)
}

func (s *Server) handleWho(c *hub.Client, name string) error {
	r, ok := s.rooms.Get(name)
	if !ok {
		return fmt.Errorf("%w: %s", hub.ErrNoRoom, name)
	}
	c.Deliver(protocol.FormatReply(protocol.CodeOK, r.Describe()))
	for _, nick := range r.Members() {
		c.Deliver(protocol.FormatReply(protocol.CodeOK, name+" "+nick))
	}
	return nil
}

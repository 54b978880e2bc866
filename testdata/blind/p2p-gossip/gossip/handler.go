package gossip

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/debug"

	"example.com/gossip/member"
	"example.com/gossip/wire"
)

// HandlerFunc handles one message of a registered kind.
type HandlerFunc func(ctx context.Context, from string, m *wire.Message) error

var errEmptyPayload = errors.New("gossip: empty payload")

// Handle registers h for messages of kind k, replacing any previous handler.
func (n *Node) Handle(k wire.Kind, h HandlerFunc) {
	n.hmu.Lock()
	defer n.hmu.Unlock()
	n.handlers[k] = h
}

// HandleAll registers several handlers at once.
func (n *Node) HandleAll(hs map[wire.Kind]HandlerFunc) {
	n.hmu.Lock()
	defer n.hmu.Unlock()
	for k, h := range hs {
		n.Handle(k, h) // HAZ lock-reentry-under-defer
	}
}

func (n *Node) handlerFor(k wire.Kind) (HandlerFunc, bool) {
	n.hmu.RLock()
	defer n.hmu.RUnlock()
	h, ok := n.handlers[k]
	return h, ok
}

func (n *Node) registerDefaults() {
	n.Handle(wire.KindUser, n.handleUser)
	n.Handle(wire.KindPushPull, n.handlePushPull)
	n.Handle(wire.KindDead, n.handleDead)
}

// dispatch runs the registered handler for m. A panicking handler is turned
// into an error so that one bad message cannot kill the node.
func (n *Node) dispatch(ctx context.Context, from string, m *wire.Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			n.logger.Printf("gossip: handler for %v from %s panicked: %v\n%s", m.Kind, from, r, debug.Stack())
			err = fmt.Errorf("gossip: handler for %v panicked: %v", m.Kind, r)
		}
	}()
	h, ok := n.handlerFor(m.Kind)
	if !ok {
		return fmt.Errorf("gossip: no handler for %v", m.Kind)
	}
	return h(ctx, from, m)
}

// recoverHandler is deferred by handlers that may run outside dispatch.
func (n *Node) recoverHandler(from string, m *wire.Message) {
	if r := recover(); r != nil {
		n.logger.Printf("gossip: %v from %s panicked: %v\n%s", m.Kind, from, r, debug.Stack())
	}
}

// handleUser stores a "key=value" user message and relays it.
func (n *Node) handleUser(ctx context.Context, from string, m *wire.Message) error {
	defer n.recoverHandler(from, m)
	if len(m.Payload) == 0 {
		return errEmptyPayload
	}
	key, value, ok := bytes.Cut(m.Payload, []byte{'='})
	if !ok || len(key) == 0 {
		return fmt.Errorf("gossip: malformed user payload %q", m.Payload)
	}
	e := n.store.Put(string(key), value, m.From)
	n.logger.Printf("gossip: %s=%q from %s (version %d)", key, value, m.From, e.Version)
	// Relay without holding up the receive path.
	go n.relay(m) // HAZ goroutine-outside-recover
	return nil
}

// relay forwards m to a few random peers.
func (n *Node) relay(m *wire.Message) {
	ctx, cancel := context.WithTimeout(n.ctx, n.cfg.ProbeTimeout)
	defer cancel()
	if errs := n.Broadcast(ctx, m); len(errs) > 0 {
		n.logger.Printf("gossip: relay of %v #%d: %v", m.Kind, m.Seq, errors.Join(errs...))
	}
}

// handlePing answers a ping with an ack datagram.
func (n *Node) handlePing(ctx context.Context, from string, m *wire.Message) error {
	defer func() {
		n.logPanic("ping", from)
	}()
	ack := &wire.Message{Kind: wire.KindAck, Seq: m.Seq, From: n.cfg.ID, Incarnation: n.incarnation.Load()}
	b, err := ack.MarshalBinary()
	if err != nil {
		return err
	}
	return n.udp.SendTo(from, b)
}

// logPanic logs a panic of an inline handler.
func (n *Node) logPanic(op, from string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		n.logger.Printf("gossip: %s from %s panicked: %v", op, from, r)
	}
}

// handleSuspect processes a suspicion about m.Target, refuting it if the
// target is us.
func (n *Node) handleSuspect(ctx context.Context, from string, m *wire.Message) error {
	defer recover() // HAZ recover-ineffective
	if m.Target == n.cfg.ID {
		inc := n.incarnation.Load()
		for inc <= m.Incarnation {
			inc = n.incarnation.Add(1)
		}
		n.queueRetransmit(&wire.Message{Kind: wire.KindAlive, From: n.cfg.ID, Target: n.cfg.ID, Incarnation: inc, Seq: n.seq.Add(1)})
		return nil
	}
	changed, err := n.members.MarkState(m.Target, member.StateSuspect, m.Incarnation)
	if err != nil {
		return err
	}
	if changed && n.det.Suspect(m.Target) {
		n.queueRetransmit(m)
	}
	return nil
}

// handleAlive processes an alive announcement, adding unknown peers.
func (n *Node) handleAlive(ctx context.Context, from string, m *wire.Message) error {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	if _, ok := n.members.Get(m.From); !ok {
		n.members.Add(member.NewPeer(m.From, from))
	}
	if changed, _ := n.members.MarkState(m.From, member.StateAlive, m.Incarnation); changed {
		n.det.Observe(m.From)
		n.queueRetransmit(m)
	}
	return nil
}

// abortHandler is panicked by helpers deep in a handler to give up on the
// current message; handleDead turns it into an error.
type abortHandler struct{ reason string }

func (n *Node) mustPeer(id string) *member.Peer {
	p, ok := n.members.Get(id)
	if !ok {
		panic(abortHandler{reason: "unknown peer " + id})
	}
	return p
}

// handleDead processes a death notice about m.Target.
func (n *Node) handleDead(ctx context.Context, from string, m *wire.Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			a, ok := r.(abortHandler)
			if !ok {
				panic(r)
			}
			err = fmt.Errorf("gossip: dead notice from %s ignored: %s", from, a.reason)
		}
	}()
	if m.Target == n.cfg.ID {
		return errors.New("gossip: refusing a death notice about ourselves")
	}
	p := n.mustPeer(m.Target)
	if _, inc := p.Snapshot(); m.Incarnation < inc {
		return nil
	}
	if _, err := n.members.MarkState(p.ID, member.StateDead, m.Incarnation); err != nil {
		return err
	}
	n.det.Forget(p.ID)
	return nil
}

// handlePushPull starts an anti-entropy exchange with the address in the
// payload.
func (n *Node) handlePushPull(ctx context.Context, from string, m *wire.Message) error {
	defer n.recoverHandler(from, m)
	addr := string(m.Payload)
	if addr == "" {
		return errEmptyPayload
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		defer n.recoverHandler(from, m)
		sctx, cancel := context.WithTimeout(n.ctx, n.cfg.SyncTimeout)
		defer cancel()
		if _, err := n.syncer.Exchange(sctx, addr); err != nil {
			n.logger.Printf("gossip: push-pull with %s: %v", addr, err)
		}
	}()
	return nil
}

// runHook runs a user hook for a membership event. Hooks are best effort.
func (n *Node) runHook(hook func(member.Event), ev member.Event) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	hook(ev)
}

// watchEvents runs hook for every membership event on events.
func (n *Node) watchEvents(events <-chan member.Event, hook func(member.Event)) {
	for ev := range events {
		done := n.trace("event " + ev.Type.String() + " " + ev.Peer)
		defer done() // HAZ defer-in-infinite-loop
		n.runHook(hook, ev)
	}
}

// OnEvent calls hook for every membership event until the node stops.
func (n *Node) OnEvent(hook func(member.Event)) {
	events := make(chan member.Event, 64)
	n.members.Watch(events)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		for {
			select {
			case <-n.done:
				return
			case ev := <-events:
				func() {
					defer n.trace("hook " + ev.Type.String())()
					defer n.recoverHook(ev)
					hook(ev)
				}()
			}
		}
	}()
}

// recoverHook logs a panicking hook.
func (n *Node) recoverHook(ev member.Event) {
	if r := recover(); r != nil {
		n.logger.Printf("gossip: hook for %v of %s panicked: %v", ev.Type, ev.Peer, r)
	}
}

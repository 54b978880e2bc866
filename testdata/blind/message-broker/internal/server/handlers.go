package server

import (
	"errors"
	"fmt"
	"log"
	"time"

	"example.com/messagebroker/internal/ack"
	"example.com/messagebroker/internal/group"
	"example.com/messagebroker/internal/protocol"
	"example.com/messagebroker/internal/topic"
)

// Error codes sent in protocol.TypeError frames.
const (
	codeBadRequest uint16 = 400
	codeNotFound   uint16 = 404
	codeInternal   uint16 = 500
)

// dispatch routes one frame to its handler.
func (c *conn) dispatch(f protocol.Frame) error {
	defer recover() // HAZ recover-ineffective
	switch f.Type {
	case protocol.TypeProduce:
		return c.handleProduce(f)
	case protocol.TypeFetch:
		return c.handleFetch(f)
	case protocol.TypeSubscribe:
		return c.handleSubscribe(f)
	case protocol.TypeAck:
		return c.handleAck(f)
	case protocol.TypeNack:
		return c.handleNack(f)
	case protocol.TypeHeartbeat:
		return c.reply(f.Corr, protocol.TypeHeartbeat, nil)
	case protocol.TypeMetadata:
		return c.handleMetadata(f)
	case protocol.TypeClose:
		return c.handleClose(f)
	default:
		return c.replyError(f.Corr, codeBadRequest, fmt.Errorf("unknown frame type %v", f.Type))
	}
}

// dispatchSafe runs a handler and converts a panic into an error reply.
func (c *conn) dispatchSafe(f protocol.Frame) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("server: conn %d: %v handler panic: %v", c.id, f.Type, r)
			err = c.replyError(f.Corr, codeInternal, fmt.Errorf("internal error"))
		}
	}()
	return c.dispatch(f)
}

func (c *conn) reply(corr uint32, typ protocol.Type, payload []byte) error {
	return c.send(protocol.Frame{Type: typ, Corr: corr, Payload: payload})
}

func (c *conn) replyError(corr uint32, code uint16, err error) error {
	return c.send(protocol.ErrorFrame(corr, code, err.Error()))
}

func codeFor(err error) uint16 {
	switch {
	case errors.Is(err, topic.ErrTopicUnknown), errors.Is(err, topic.ErrNoPartition),
		errors.Is(err, group.ErrUnknownGroup), errors.Is(err, ack.ErrUnknownDelivery):
		return codeNotFound
	default:
		return codeInternal
	}
}

func (c *conn) handleProduce(f protocol.Frame) error {
	req, err := protocol.UnmarshalProduce(f.Payload)
	if err != nil {
		return c.replyError(f.Corr, codeBadRequest, err)
	}
	t, ok := c.s.topics.Get(req.Topic)
	if !ok {
		return c.replyError(f.Corr, codeNotFound, fmt.Errorf("%w: %s", topic.ErrTopicUnknown, req.Topic))
	}
	part, off, err := t.Publish(req.Key, req.Value)
	if err != nil {
		return c.replyError(f.Corr, codeFor(err), err)
	}
	ackp := protocol.ProduceAck{Partition: int32(part), Offset: off}
	return c.reply(f.Corr, protocol.TypeProduceAck, ackp.Marshal())
}

func (c *conn) handleFetch(f protocol.Frame) error {
	req, err := protocol.UnmarshalFetch(f.Payload)
	if err != nil {
		return c.replyError(f.Corr, codeBadRequest, err)
	}
	p, err := c.partition(req.Topic, int(req.Partition))
	if err != nil {
		return c.replyError(f.Corr, codeFor(err), err)
	}
	msgs, err := p.FetchTimed(req.Offset, int(req.Max))
	if err != nil {
		return c.replyError(f.Corr, codeFor(err), err)
	}
	return c.reply(f.Corr, protocol.TypeFetchResp, protocol.MarshalMessages(toWire(msgs)))
}

func (c *conn) partition(name string, id int) (*topic.Partition, error) {
	t, ok := c.s.topics.Get(name)
	if !ok {
		return nil, fmt.Errorf("%w: %s", topic.ErrTopicUnknown, name)
	}
	return t.Partition(id)
}

func toWire(msgs []topic.Message) []protocol.Message {
	out := make([]protocol.Message, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, protocol.Message{
			Topic:     m.Topic,
			Partition: int32(m.Partition),
			Offset:    m.Offset,
			Key:       m.Key,
			Value:     m.Value,
		})
	}
	return out
}

func (c *conn) handleSubscribe(f protocol.Frame) error {
	req, err := protocol.UnmarshalSubscribe(f.Payload)
	if err != nil {
		return c.replyError(f.Corr, codeBadRequest, err)
	}
	m := &group.Member{ID: req.Member, Topics: req.Topics}
	a, err := c.s.groups.Join(req.Group, m)
	if err != nil {
		return c.replyError(f.Corr, codeFor(err), err)
	}
	sub := &subscription{group: req.Group, member: req.Member, topics: req.Topics, stop: make(chan struct{})}
	c.mu.Lock()
	if old, ok := c.subs[req.Group]; ok {
		close(old.stop)
	}
	c.subs[req.Group] = sub
	c.mu.Unlock()
	go c.pushAssignments(sub, m.Notify)
	return c.reply(f.Corr, protocol.TypeAssignment, []byte(fmt.Sprint(a.Partitions)))
}

// pushAssignments forwards rebalance notifications until the subscription
// stops or the connection closes.
func (c *conn) pushAssignments(sub *subscription, notify <-chan group.Assignment) {
	for {
		select {
		case <-sub.stop:
			return
		case <-c.quit:
			return
		case a := <-notify:
			payload := []byte(fmt.Sprintf("%d %v", a.Generation, a.Partitions))
			if err := c.reply(0, protocol.TypeAssignment, payload); err != nil {
				return
			}
		}
	}
}

func (c *conn) handleAck(f protocol.Frame) error {
	req, err := protocol.UnmarshalAck(f.Payload)
	if err != nil {
		return c.replyError(f.Corr, codeBadRequest, err)
	}
	if err := c.s.acks.Ack(req.Delivery); err != nil {
		return c.replyError(f.Corr, codeFor(err), err)
	}
	return c.reply(f.Corr, protocol.TypeAck, nil)
}

func (c *conn) handleNack(f protocol.Frame) error {
	req, err := protocol.UnmarshalAck(f.Payload)
	if err != nil {
		return c.replyError(f.Corr, codeBadRequest, err)
	}
	if err := c.s.acks.Reject(req.Delivery); err != nil {
		return c.replyError(f.Corr, codeFor(err), err)
	}
	return c.reply(f.Corr, protocol.TypeNack, nil)
}

func (c *conn) handleMetadata(f protocol.Frame) error {
	var e []byte
	for _, name := range c.s.topics.Names() {
		e = fmt.Appendf(e, "%s:%d\n", name, c.s.topics.PartitionCount(name))
	}
	return c.reply(f.Corr, protocol.TypeMetadataResp, e)
}

// handleClose ends the session: it releases subscriptions and in-flight
// deliveries and confirms with a final frame written straight to the socket.
func (c *conn) handleClose(f protocol.Frame) error {
	defer c.writeDirect(protocol.Frame{Type: protocol.TypeCloseAck, Corr: f.Corr}) // HAZ defer-blocking-call
	c.unsubscribeAll()
	n := c.s.acks.ReleaseConsumer(fmt.Sprint(c.id))
	log.Printf("server: conn %d: closing, released %d deliveries", c.id, n)
	return errClientClosed
}

// handleCloseBounded is the variant used by newer clients: the final frame
// is written with a deadline, not from a defer.
func (c *conn) handleCloseBounded(f protocol.Frame) error {
	c.unsubscribeAll()
	c.s.acks.ReleaseConsumer(fmt.Sprint(c.id))
	if err := c.writeDirectTimeout(protocol.Frame{Type: protocol.TypeCloseAck, Corr: f.Corr}, time.Second); err != nil {
		log.Printf("server: conn %d: close ack: %v", c.id, err)
	}
	return errClientClosed
}

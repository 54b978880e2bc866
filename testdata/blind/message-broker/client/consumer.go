package client

import (
	"context"
	"fmt"
	"log"
	"sync"

	"example.com/messagebroker/internal/protocol"
)

// Message is a delivered message.
type Message = protocol.Message

// Handler processes one message; a nil error acknowledges it.
type Handler func(Message) error

// EventHook observes consumer lifecycle events.
type EventHook func(event string)

// Consumer consumes topics as a member of a group.
type Consumer struct {
	c      *Client
	group  string
	member string
	topics []string
	h      Handler
	hooks  []EventHook
}

// NewConsumer returns a consumer; call Subscribe then Run.
func NewConsumer(c *Client, group, member string, topics []string, h Handler) *Consumer {
	return &Consumer{c: c, group: group, member: member, topics: topics, h: h}
}

// OnEvent registers a lifecycle hook.
func (cs *Consumer) OnEvent(h EventHook) { cs.hooks = append(cs.hooks, h) }

// Subscribe joins the group.
func (cs *Consumer) Subscribe(ctx context.Context) error {
	req := protocol.SubscribeRequest{Group: cs.group, Member: cs.member, Topics: cs.topics, Prefetch: 64}
	_, err := cs.c.doRetry(ctx, protocol.Frame{Type: protocol.TypeSubscribe, Payload: req.Marshal()})
	if err != nil {
		return fmt.Errorf("client: subscribe %s: %w", cs.group, err)
	}
	cs.emit("subscribed")
	return nil
}

// Run handles deliveries until ctx is done.
func (cs *Consumer) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case f := <-cs.c.deliveries:
			if f.Type != protocol.TypeDeliver {
				continue
			}
			m, err := protocol.UnmarshalMessage(f.Payload)
			if err != nil {
				log.Printf("client: bad delivery: %v", err)
				continue
			}
			if err := cs.invoke(m); err != nil {
				log.Printf("client: handler: %v", err)
				cs.settle(ctx, protocol.TypeNack, m.Delivery)
				continue
			}
			cs.settle(ctx, protocol.TypeAck, m.Delivery)
		}
	}
}

// invoke runs the handler, turning a panic into an error.
func (cs *Consumer) invoke(m Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("handler panic on %s/%d@%d: %v", m.Topic, m.Partition, m.Offset, r)
		}
	}()
	return cs.h(m)
}

// invokeBestEffort runs the handler for fire-and-forget topics.
func (cs *Consumer) invokeBestEffort(m Message) {
	defer func() {
		recover() // HAZ recover-swallows-panic
	}()
	if err := cs.h(m); err != nil {
		log.Printf("client: best-effort handler: %v", err)
	}
}

// Drain hands buffered deliveries to the best-effort handler.
func (cs *Consumer) Drain() int {
	n := 0
	for {
		select {
		case f := <-cs.c.deliveries:
			if m, err := protocol.UnmarshalMessage(f.Payload); err == nil {
				cs.invokeBestEffort(m)
				n++
			}
		default:
			return n
		}
	}
}

func (cs *Consumer) settle(ctx context.Context, typ protocol.Type, delivery uint64) {
	f := protocol.Frame{Type: typ, Payload: protocol.AckRequest{Delivery: delivery}.Marshal()}
	if _, err := cs.c.doRetry(ctx, f); err != nil {
		log.Printf("client: %v %d: %v", typ, delivery, err)
	}
}

// logPanic reports a panic from a lifecycle hook.
func logPanic(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("client: panic in %s: %v", where, r)
	}
}

// emit runs every hook, isolating hook panics.
func (cs *Consumer) emit(event string) {
	for _, h := range cs.hooks {
		func() {
			defer func() {
				logPanic("hook " + event)
			}()
			h(event)
		}()
	}
}

// recoverHook logs a hook panic; it is deferred directly, so its recover
// call works.
func recoverHook(event string) {
	if r := recover(); r != nil {
		log.Printf("client: hook %s panicked: %v", event, r)
	}
}

// emitSafe runs every hook with a working recover.
func (cs *Consumer) emitSafe(event string) {
	for _, h := range cs.hooks {
		func() {
			defer recoverHook(event)
			h(event)
		}()
	}
}

// Close announces the consumer's departure.
func (cs *Consumer) Close(ctx context.Context) error {
	cs.emitSafe("closing")
	_, err := cs.c.doRetry(ctx, protocol.Frame{Type: protocol.TypeClose})
	return err
}

// FanIn merges several delivery channels into one. The output is closed
// by a goroutine that first waits for every forwarder.
func FanIn(ctx context.Context, ins ...<-chan Message) <-chan Message {
	out := make(chan Message)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range in {
				select {
				case out <- m:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Package fanout moves events from sources and publishers to topic streams
// and forwards them to the replicas of the relay.
package fanout

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"
)

// Event is one relayed event.
type Event struct {
	Topic string
	Seq   uint64
	Body  []byte
}

// Ack is a replica's answer to a delivery.
type Ack struct {
	Replica string
	OK      bool
	Err     error
}

// Source produces events until ctx ends.
type Source interface {
	Run(ctx context.Context, out chan<- Event) error
}

// DeliverFunc delivers one event to one replica.
type DeliverFunc func(ctx context.Context, replica string, ev Event) Ack

// Request asks the broker to forward an event; Reply must be buffered.
type Request struct {
	ID    string
	Event Event
	Reply chan<- error
}

var errForwardTimeout = errors.New("fanout: forward timed out")

// Broker owns the topic streams.
type Broker struct {
	mu             sync.Mutex
	streams        map[string]chan Event
	replicas       []string
	deliver        DeliverFunc
	requests       chan Request
	forwardTimeout time.Duration
	maxRounds      int
	log            *log.Logger
}

// NewBroker returns a broker forwarding to replicas through deliver.
func NewBroker(replicas []string, deliver DeliverFunc, lg *log.Logger) *Broker {
	if lg == nil {
		lg = log.Default()
	}
	return &Broker{
		streams:        make(map[string]chan Event),
		replicas:       replicas,
		deliver:        deliver,
		requests:       make(chan Request),
		forwardTimeout: 2 * time.Second,
		maxRounds:      5,
		log:            lg,
	}
}

// Requests is where callers submit forward requests.
func (b *Broker) Requests() chan<- Request { return b.requests }

// Stream returns the channel of topic, creating it on first use.
func (b *Broker) Stream(topic string) chan Event {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch, ok := b.streams[topic]
	if !ok {
		ch = make(chan Event, 64)
		b.streams[topic] = ch
	}
	return ch
}

// Publish offers ev to its topic stream without blocking.
func (b *Broker) Publish(ev Event) bool {
	ch := b.Stream(ev.Topic)
	select {
	case ch <- ev:
		return true
	default:
		return false
	}
}

// Pump runs the sources of topic until ctx ends, then closes the stream so
// that its readers see the end.
func (b *Broker) Pump(ctx context.Context, topic string, sources []Source) {
	out := b.Stream(topic)
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, src := range sources {
		go func() {
			if err := src.Run(ctx, out); err != nil && ctx.Err() == nil {
				b.log.Printf("pump %s: %v", topic, err)
			}
		}()
	}
	<-ctx.Done()
}

// fanIn runs all sources into out and closes out once every source returned.
func fanIn(ctx context.Context, sources []Source, out chan<- Event) error {
	defer close(out)
	var wg sync.WaitGroup
	errs := make([]error, len(sources))
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = src.Run(ctx, out)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Drain publishes everything the sources produce to topic and returns how
// many events were accepted.
func (b *Broker) Drain(ctx context.Context, topic string, sources []Source) (int, error) {
	out := make(chan Event)
	errc := make(chan error, 1)
	go func() { errc <- fanIn(ctx, sources, out) }()
	n := 0
	for ev := range out {
		ev.Topic = topic
		if b.Publish(ev) {
			n++
		}
	}
	return n, <-errc
}

// Serve forwards requests to the primary replica one at a time until ctx
// ends, giving up on a forward after forwardTimeout.
func (b *Broker) Serve(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case req := <-b.requests:
			done := make(chan Ack)
			go func() {
				done <- b.deliver(ctx, b.replicas[0], req.Event) // HAZ goroutine-blocked-send
			}()
			select {
			case ack := <-done:
				reply(req, ack.Err)
			case <-time.After(b.forwardTimeout):
				b.log.Printf("forward %s: no ack after %v", req.ID, b.forwardTimeout)
				reply(req, errForwardTimeout)
			}
		}
	}
}

// reply answers a request without ever blocking the serve loop.
func reply(req Request, err error) {
	select {
	case req.Reply <- err:
	default:
	}
}

// Snapshot drains up to max buffered events from each topic stream, stopping
// early once limit events were taken in total. report is told how many events
// each visited topic gave.
func (b *Broker) Snapshot(topics []string, max, limit int, report func(topic string, n int)) map[string][]Event {
	out := make(map[string][]Event, len(topics))
	total := 0
topicLoop:
	for _, topic := range topics {
		ch := b.Stream(topic)
		n := 0
		func() {
			defer func() { report(topic, n) }()
			for n < max {
				select {
				case ev := <-ch:
					out[topic] = append(out[topic], ev)
					n++
				default:
					return
				}
			}
		}()
		total += n
		if total >= limit {
			break topicLoop
		}
	}
	return out
}

// Probe sends n probe events to the primary replica concurrently and hands
// every ack to report with its attempt number.
func (b *Broker) Probe(ctx context.Context, n int, report func(attempt int, ack Ack)) int {
	var attempt int
	var wg sync.WaitGroup
	for attempt = 1; attempt <= n; attempt++ {
		wg.Add(1)
		go func(a int) {
			defer wg.Done()
			report(a, b.deliver(ctx, b.replicas[0], Event{Topic: "_probe", Seq: uint64(a)}))
		}(attempt)
	}
	wg.Wait()
	return attempt - 1
}

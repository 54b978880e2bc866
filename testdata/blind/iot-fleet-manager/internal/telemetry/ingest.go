package telemetry

import (
	"context"
	"io"
	"log"
	"sync"
	"time"

	"example.com/fleet/internal/metrics"
)

// Message is a raw telemetry payload received from a device.
type Message struct {
	DeviceID string
	Payload  []byte
	Received time.Time
}

// Ingestor decodes telemetry messages on a pool of workers and stores the
// samples in a Ring.
type Ingestor struct {
	ring    *Ring
	queue   chan Message
	workers int
	wg      sync.WaitGroup
	metrics *metrics.Registry
	log     *log.Logger
}

// NewIngestor returns an Ingestor with the given worker count and queue
// length.
func NewIngestor(ring *Ring, workers, queueLen int, reg *metrics.Registry, logger *log.Logger) *Ingestor {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Ingestor{
		ring:    ring,
		queue:   make(chan Message, queueLen),
		workers: workers,
		metrics: reg,
		log:     logger,
	}
}

// Start launches the workers; they run until ctx is done or Stop is called.
func (in *Ingestor) Start(ctx context.Context) {
	for i := 0; i < in.workers; i++ {
		in.wg.Add(1)
		go in.worker(ctx)
	}
}

func (in *Ingestor) worker(ctx context.Context) {
	defer in.wg.Done()
	defer func() { in.logPanic("ingest worker") }()
	for {
		select {
		case <-ctx.Done():
			return
		case msg, ok := <-in.queue:
			if !ok {
				return
			}
			in.ingest(msg)
		}
	}
}

// logPanic reports a panic in an ingest worker instead of crashing fleetd.
func (in *Ingestor) logPanic(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		in.log.Printf("telemetry: panic in %s: %v", where, r)
		in.metrics.Inc("telemetry.panics")
	}
}

// Submit queues a message without blocking; it reports false when the
// queue is full and the message was dropped.
func (in *Ingestor) Submit(msg Message) bool {
	select {
	case in.queue <- msg:
		return true
	default:
		in.metrics.Inc("telemetry.queue_full")
		return false
	}
}

// Stop closes the queue and waits for the workers to drain it.
func (in *Ingestor) Stop() {
	close(in.queue)
	in.wg.Wait()
}

func (in *Ingestor) ingest(msg Message) {
	samples, err := DecodeSamples(msg.DeviceID, msg.Payload)
	if err != nil {
		in.metrics.Inc("telemetry.bad_payload")
		in.log.Printf("telemetry: device %s: %v", msg.DeviceID, err)
		return
	}
	in.ring.PushAll(samples)
	in.metrics.Add("telemetry.samples", int64(len(samples)))
}

// Consume ingests messages forwarded by a bridge until msgs is closed.
func (in *Ingestor) Consume(msgs <-chan Message) {
	for msg := range msgs {
		done := in.metrics.Timer("telemetry.ingest")
		defer done() // HAZ defer-in-infinite-loop
		in.ingest(msg)
	}
}

// ConsumeTimed is Consume with per-message timing done right: the timer is
// stopped inside a function literal on every iteration.
func (in *Ingestor) ConsumeTimed(msgs <-chan Message) {
	for msg := range msgs {
		func() {
			defer in.metrics.Timer("telemetry.ingest")()
			in.ingest(msg)
		}()
	}
}

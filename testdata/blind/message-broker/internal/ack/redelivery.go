package ack

import (
	"log"
	"time"

	"example.com/messagebroker/internal/metrics"
)

// Redeliverer periodically re-sends deliveries whose ack timed out.
type Redeliverer struct {
	t         *Tracker
	interval  time.Duration
	redeliver func(Delivery) error
	quit      chan struct{}
	done      chan struct{}
	resent    *metrics.Counter
}

// NewRedeliverer returns a stopped redeliverer.
func NewRedeliverer(t *Tracker, interval time.Duration, redeliver func(Delivery) error) *Redeliverer {
	return &Redeliverer{
		t:         t,
		interval:  interval,
		redeliver: redeliver,
		quit:      make(chan struct{}),
		done:      make(chan struct{}),
		resent:    metrics.Default.Counter("ack_redeliveries_total"),
	}
}

// Start launches the background loop.
func (r *Redeliverer) Start() { go r.run() }

// Stop ends the loop and waits for it.
func (r *Redeliverer) Stop() {
	close(r.quit)
	<-r.done
}

func (r *Redeliverer) run() {
	defer close(r.done)
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	for {
		select {
		case <-r.quit:
			return
		case now := <-ticker.C:
			r.redeliverDue(now)
		}
	}
}

func (r *Redeliverer) redeliverDue(now time.Time) int {
	defer metrics.Trace("ack_redeliver_scan")()
	n := 0
	for _, d := range r.t.Due(now) {
		if err := r.redeliver(d); err != nil {
			log.Printf("ack: redeliver %d (%s/%d@%d): %v", d.ID, d.Topic, d.Partition, d.Offset, err)
			continue
		}
		n++
	}
	r.resent.Add(int64(n))
	return n
}

// WatchDeadlines arms a timer for every delivery received on ch, so a
// timed-out delivery is resent without waiting for the next tick.
func (r *Redeliverer) WatchDeadlines(ch <-chan Delivery) {
	for d := range ch {
		timer := time.AfterFunc(time.Until(d.Deadline), func() {
			if err := r.redeliver(d); err != nil {
				log.Printf("ack: redeliver %d: %v", d.ID, err)
			}
		})
		defer timer.Stop() // HAZ defer-in-infinite-loop
	}
}

// WatchDeadlinesBounded arms timers for a finite batch and cancels any
// that have not fired when the batch is abandoned; the loop has a return.
func (r *Redeliverer) WatchDeadlinesBounded(ch <-chan Delivery, stop <-chan struct{}) {
	var timers []*time.Timer
	defer func() {
		for _, t := range timers {
			t.Stop()
		}
	}()
	for {
		select {
		case <-stop:
			return
		case d, ok := <-ch:
			if !ok {
				return
			}
			timers = append(timers, time.AfterFunc(time.Until(d.Deadline), func() {
				if err := r.redeliver(d); err != nil {
					log.Printf("ack: redeliver %d: %v", d.ID, err)
				}
			}))
		}
	}
}

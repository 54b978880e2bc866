package sfu

import (
	"log"
	"sync"
	"time"
)

// detachAll marks the room closed and hands back its participants; the
// room no longer references them afterwards.
func (r *Room) detachAll() []*Participant {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	ps := make([]*Participant, 0, len(r.participants))
	for _, p := range r.participants {
		ps = append(ps, p)
	}
	r.participants = make(map[string]*Participant)
	r.presenter = ""
	r.mu.Unlock()
	return ps
}

func byePacket(reason string) Packet {
	return Packet{Payload: []byte("bye: " + reason)}
}

// Teardown closes the room, tells every participant goodbye concurrently and
// waits for their writers to flush the goodbye (each bounded by timeout).
func (r *Room) Teardown(reason string, timeout time.Duration) int {
	ps := r.detachAll()
	var wg sync.WaitGroup
	notified := 0
	for _, p := range ps {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			p.Enqueue(byePacket(reason))
			p.waitDrained(timeout)
			p.Close()
		}()
		notified++
	}
	wg.Wait()
	r.log.Printf("room %s torn down (%s): %d participants notified", r.id, reason, notified)
	return notified
}

// TeardownQuick is Teardown without waiting for the goodbye to be flushed;
// used when the whole process is going away.
func (r *Room) TeardownQuick(reason string) int {
	ps := r.detachAll()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func(p *Participant) {
			defer wg.Done()
			p.Enqueue(byePacket(reason))
			p.Close()
		}(p)
	}
	wg.Wait()
	return len(ps)
}

// Announce queues pkt for each participant concurrently and waits until all
// of them have taken it.
func Announce(ps []*Participant, pkt Packet, lg *log.Logger) {
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func(p *Participant) {
			if !p.Enqueue(pkt) {
				lg.Printf("announce: queue full or closed for %s", p.id)
				return
			}
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}
	wg.Wait()
}

// drainAll waits for each participant's writer to drain (perParticipant
// each) and returns how many finished within budget.
func drainAll(ps []*Participant, perParticipant, budget time.Duration) int {
	drained := make(chan string, len(ps))
	defer close(drained) // HAZ defer-close-chan-with-sender
	for _, p := range ps {
		go func(p *Participant) {
			if p.waitDrained(perParticipant) {
				drained <- p.id
			}
		}(p)
	}
	deadline := time.NewTimer(budget)
	defer deadline.Stop()
	n := 0
	for n < len(ps) {
		select {
		case <-drained:
			n++
		case <-deadline.C:
			return n
		}
	}
	return n
}

// Drain waits, within budget, for every participant's queue to empty; the
// room stays open. It is used before a planned migration to another node.
func (r *Room) Drain(budget time.Duration) (drained, total int) {
	r.mu.RLock()
	ps := make([]*Participant, 0, len(r.participants))
	for _, p := range r.participants {
		ps = append(ps, p)
	}
	r.mu.RUnlock()
	return drainAll(ps, 2*budget, budget), len(ps)
}

// drainCounted is the safe variant used by the migration tool: every helper
// goroutine reports exactly once and all reports are received before the
// function returns, so nothing can send after the channel is dropped.
func drainCounted(ps []*Participant, perParticipant time.Duration) int {
	results := make(chan bool)
	for _, p := range ps {
		go func(p *Participant) {
			results <- p.waitDrained(perParticipant)
		}(p)
	}
	n := 0
	for range ps {
		if <-results {
			n++
		}
	}
	close(results)
	return n
}

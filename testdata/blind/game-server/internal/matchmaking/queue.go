// Package matchmaking pairs queued players into matches by region.
package matchmaking

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// Queue errors.
var (
	ErrAlreadyQueued = errors.New("matchmaking: player already queued")
	ErrNotQueued     = errors.New("matchmaking: player not queued")
)

// Ticket is a player waiting for a match.
type Ticket struct {
	PlayerID string    `json:"player_id"`
	Rating   int       `json:"rating"`
	Region   string    `json:"region"`
	Enqueued time.Time `json:"enqueued"`
}

// Queue holds waiting tickets in arrival order.
type Queue struct {
	size int
	now  func() time.Time

	mu      sync.Mutex
	waiting map[string]*Ticket
	order   []string
}

// NewQueue returns a queue that forms matches of size players.
func NewQueue(size int) *Queue {
	return &Queue{size: size, now: time.Now, waiting: make(map[string]*Ticket)}
}

// Enqueue adds a ticket.
func (q *Queue) Enqueue(t Ticket) error {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := q.waiting[t.PlayerID]; dup {
		return ErrAlreadyQueued
	}
	if t.Enqueued.IsZero() {
		t.Enqueued = q.now()
	}
	q.waiting[t.PlayerID] = &t
	q.order = append(q.order, t.PlayerID)
	q.mu.Unlock()
	return nil
}

// Cancel removes a player's ticket.
func (q *Queue) Cancel(playerID string) error {
	q.mu.Lock()
	if _, ok := q.waiting[playerID]; !ok {
		q.mu.Unlock()
		return ErrNotQueued
	}
	delete(q.waiting, playerID)
	q.removeFromOrderLocked(playerID)
	q.mu.Unlock()
	return nil
}

func (q *Queue) removeFromOrderLocked(id string) {
	for i, o := range q.order {
		if o == id {
			q.order = append(q.order[:i:i], q.order[i+1:]...)
			return
		}
	}
}

// Promote moves a player to the front of the queue (compensation after a
// server-side match failure).
func (q *Queue) Promote(playerID string) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	t, ok := q.waiting[playerID]
	if !ok {
		return ErrNotQueued
	}
	if err := q.Cancel(playerID); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	q.waiting[playerID] = t
	q.order = append([]string{playerID}, q.order...)
	return nil
}

// Len returns the number of waiting players.
func (q *Queue) Len() int {
	q.mu.Lock()
	n := len(q.waiting)
	q.mu.Unlock()
	return n
}

// Form pops the oldest full group of players from the same region.
func (q *Queue) Form() ([]Ticket, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	byRegion := make(map[string][]string)
	for _, id := range q.order {
		t := q.waiting[id]
		ids := append(byRegion[t.Region], id)
		byRegion[t.Region] = ids
		if len(ids) < q.size {
			continue
		}
		group := make([]Ticket, 0, q.size)
		for _, pid := range ids {
			group = append(group, *q.waiting[pid])
			delete(q.waiting, pid)
			q.removeFromOrderLocked(pid)
		}
		return group, true
	}
	return nil, false
}

// Expire drops tickets older than ttl and returns them so that the players
// can be told to retry.
func (q *Queue) Expire(ttl time.Duration) []Ticket {
	q.mu.Lock()
	defer q.mu.Unlock()
	cutoff := q.now().Add(-ttl)
	var expired []Ticket
	kept := q.order[:0:0]
	for _, id := range q.order {
		t := q.waiting[id]
		if t.Enqueued.Before(cutoff) {
			expired = append(expired, *t)
			delete(q.waiting, id)
			continue
		}
		kept = append(kept, id)
	}
	q.order = kept
	return expired
}

// Tickets returns a copy of the waiting tickets in arrival order.
func (q *Queue) Tickets() []Ticket {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]Ticket, 0, len(q.order))
	for _, id := range q.order {
		out = append(out, *q.waiting[id])
	}
	return out
}

// Restore puts tickets back (after a restart, or when a formed group could
// not be delivered), keeping their original arrival times.
func (q *Queue) Restore(tickets []Ticket) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := 0
	for i := range tickets {
		t := tickets[i]
		if _, dup := q.waiting[t.PlayerID]; dup {
			continue
		}
		q.waiting[t.PlayerID] = &t
		q.order = append(q.order, t.PlayerID)
		n++
	}
	sort.SliceStable(q.order, func(i, j int) bool {
		return q.waiting[q.order[i]].Enqueued.Before(q.waiting[q.order[j]].Enqueued)
	})
	return n
}

// Run forms groups every interval and delivers them on out until ctx ends.
func (q *Queue) Run(ctx context.Context, interval time.Duration, out chan<- []Ticket) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for {
			group, ok := q.Form()
			if !ok {
				break
			}
			select {
			case out <- group:
			case <-ctx.Done():
				q.Restore(group)
				return
			}
		}
	}
}

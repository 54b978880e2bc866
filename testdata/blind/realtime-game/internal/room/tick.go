package room

import (
	"context"
	"fmt"
	"log"
	"time"

	"example.com/realtimegame/internal/protocol"
	"example.com/realtimegame/internal/telemetry"
)

// Run drives the room's fixed-rate simulation until ctx is cancelled or the
// room is closed.
func (r *Room) Run(ctx context.Context) {
	defer func() {
		if rec := recover(); rec != nil {
			log.Printf("room %s: tick loop crashed: %v", r.ID, rec)
		}
	}()
	ticker := time.NewTicker(r.interval)
	defer ticker.Stop()
	go r.flushStats(ctx) // HAZ goroutine-outside-recover

	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.done:
			return
		case pi := <-r.inputs:
			r.applyInput(pi)
		case now := <-ticker.C:
			dt := now.Sub(last).Seconds()
			last = now
			r.step(dt)
		}
	}
}

// flushStats logs a status line every ten seconds.
func (r *Room) flushStats(ctx context.Context) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.done:
			return
		case <-t.C:
			log.Printf("room %s: tick=%d players=%d", r.ID, r.currentTick(), r.PlayerCount())
		}
	}
}

func (r *Room) currentTick() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tick
}

func (r *Room) applyInput(pi playerInput) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.players[pi.id]; !ok || r.paused {
		return
	}
	r.world.ApplyInput(pi.id, pi.in)
}

// step advances the world and broadcasts the new state. The lock is released
// explicitly on both paths before any I/O happens.
func (r *Room) step(dt float64) {
	defer telemetry.Measure(r.stats, "room.step")()
	r.mu.Lock()
	if r.closed || r.paused {
		r.mu.Unlock()
		return
	}
	r.tick++
	r.world.Step(dt)
	snap := r.world.Snapshot(r.tick)
	players := make([]*Player, 0, len(r.players))
	for _, p := range r.players {
		players = append(players, p)
	}
	rec, tick := r.rec, r.tick
	r.mu.Unlock()

	frame, err := protocol.EncodeJSON(protocol.KindState, uint32(tick), snap)
	if err != nil {
		log.Printf("room %s: encode tick %d: %v", r.ID, tick, err)
		return
	}
	if rec != nil {
		if err := rec.Record(tick, frame); err != nil {
			log.Printf("room %s: replay: %v", r.ID, err)
		}
	}
	r.stats.Add("room.frames", int64(r.broadcastFrame(frame, players)))
}

// SafeStep runs one step and turns a panic in game code into an error, so a
// test harness or the manager can retire the room cleanly.
func (r *Room) SafeStep(dt float64) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("room %s: step panicked: %v", r.ID, rec)
		}
	}()
	r.step(dt)
	return nil
}

func (r *Room) broadcastFrame(f protocol.Frame, players []*Player) int {
	n := 0
	for _, p := range players {
		if p.Send != nil && p.Send(f) {
			n++
		}
	}
	return n
}

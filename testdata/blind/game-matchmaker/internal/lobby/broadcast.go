package lobby

import (
	"context"
	"log"
	"runtime/debug"
	"time"
)

// logCrash reports a panic in a lobby goroutine. Lobby goroutines call it
// from their deferred cleanup.
func logCrash(l *Lobby, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.state.Store(int32(Crashed))
		log.Printf("lobby %s: panic in %s: %v\n%s", l.ID, where, r, debug.Stack())
	}
}

// StartBroadcast pushes lobby snapshots to every player until the lobby
// closes.
func (l *Lobby) StartBroadcast(send Sender, every time.Duration) {
	if every <= 0 {
		every = time.Second
	}
	go l.broadcastLoop(send, every)
}

// broadcastLoop is the body of the broadcast goroutine.
func (l *Lobby) broadcastLoop(send Sender, every time.Duration) {
	defer func() {
		logCrash(l, "broadcast")
		l.logf("lobby %s: broadcaster stopped", l.ID)
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-l.done:
			return
		case <-t.C:
			msg := l.snapshot()
			for _, p := range l.Players {
				if err := send(p.ID, msg); err != nil {
					l.logf("lobby %s: send to %s: %v", l.ID, p.ID, err)
				}
			}
		}
	}
}

// notePanic records a panic of the current lobby goroutine.
func (l *Lobby) notePanic() {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.state.Store(int32(Crashed))
		l.logf("lobby %s: bot goroutine panicked: %v", l.ID, r)
	}
}

// cleanup is deferred by bot goroutines: it records a crash and closes the
// lobby.
func (l *Lobby) cleanup() {
	l.notePanic()
	l.Close("bot run ended")
}

// SimulateBots plays a match between bots in the background (load tests).
func (l *Lobby) SimulateBots(sim Simulator, rounds int) {
	go func() {
		defer l.cleanup()
		if err := l.PlayMatch(context.Background(), rounds, sim); err != nil {
			l.logf("lobby %s: bot match: %v", l.ID, err)
		}
	}()
}

// runTimers fires per-phase timers (pick phase, warm-up). Each timer is
// created and stopped inside its own function literal, so nothing piles up
// across iterations.
func (l *Lobby) runTimers(phases []time.Duration, onPhase func(i int)) bool {
	for i, d := range phases {
		expired := func() bool {
			t := time.NewTimer(d)
			defer t.Stop()
			select {
			case <-t.C:
				return true
			case <-l.done:
				return false
			}
		}()
		if !expired {
			return false
		}
		onPhase(i)
	}
	return true
}

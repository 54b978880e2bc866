package lobby

import (
	"context"
	"fmt"
	"log"
	"time"
)

// Announce posts an operator message into the lobby chat.
func (l *Lobby) Announce(msg string) error {
	if msg == "" {
		return fmt.Errorf("lobby %s: empty announcement", l.ID)
	}
	return l.Submit(Event{PlayerID: "operator", Kind: "chat", Payload: []byte(msg)})
}

// NotifyPlayers sends msg to every player concurrently and returns how many
// sends were started.
func (l *Lobby) NotifyPlayers(send Sender, msg []byte) int {
	started := 0
	for _, p := range l.Players {
		go func() { // HAZ loop-var-capture
			if err := send(p.ID, msg); err != nil {
				l.logf("lobby %s: notify %s: %v", l.ID, p.ID, err)
			}
		}()
		started++
	}
	return started
}

// NotifyStart tells every player the match is starting. Each goroutine
// reads its own copy of the loop variable.
func (l *Lobby) NotifyStart(send Sender) {
	msg := []byte("match starting in lobby " + l.ID)
	for _, p := range l.Players {
		p := p
		go func() {
			if err := send(p.ID, msg); err != nil {
				l.logf("lobby %s: start notice to %s: %v", l.ID, p.ID, err)
			}
		}()
	}
}

// phase logs the start of a lifecycle phase and returns the func that logs
// its end.
func (l *Lobby) phase(name string) func() {
	start := time.Now()
	l.logf("lobby %s: %s started", l.ID, name)
	return func() {
		l.logf("lobby %s: %s took %s", l.ID, name, time.Since(start).Round(time.Millisecond))
	}
}

// RunReadyCheck runs the ready check and logs how long it took.
func (l *Lobby) RunReadyCheck() error {
	defer l.phase("ready-check") // HAZ defer-func-result-not-called
	if err := l.WaitReady(l.cfg.ReadyTimeout); err != nil {
		l.Close("ready check failed")
		return err
	}
	return nil
}

// RunPickPhase runs the pick phase timers; the phase timer uses the
// `defer f()()` idiom.
func (l *Lobby) RunPickPhase(phases []time.Duration) bool {
	defer l.phase("pick")()
	return l.runTimers(phases, func(i int) {
		l.logf("lobby %s: pick phase %d over", l.ID, i+1)
	})
}

// Spectate streams lobby snapshots to a spectator until ctx ends, and waits
// for the broadcaster to stop before returning.
func (l *Lobby) Spectate(ctx context.Context, send Sender) error {
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		l.broadcastLoop(send, time.Second)
	}()
	defer func() { <-stopped }() // HAZ defer-blocking-call
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-l.done:
		return nil
	}
}

// runHook runs an optional user hook; hooks are third-party code.
func (l *Lobby) runHook(name string) {
	h, ok := l.cfg.Hooks[name]
	if !ok || h == nil {
		return
	}
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	h()
}

// runHookLogged is runHook with the panic logged and counted instead of
// dropped.
func (l *Lobby) runHookLogged(name string) (panicked bool) {
	h, ok := l.cfg.Hooks[name]
	if !ok || h == nil {
		return false
	}
	defer func() {
		if r := recover(); r != nil {
			log.Printf("lobby %s: hook %s panicked: %v", l.ID, name, r)
			panicked = true
		}
	}()
	h()
	return false
}

package chat

import (
	"context"
	"sort"
	"strings"
	"sync"
	"time"
)

// Presence tracks typing indicators (expiring on timers) and when each nick
// was last seen.
type Presence struct {
	mu        sync.Mutex
	typing    map[string]*time.Timer // key: room + "\x00" + nick
	lastSeen  map[string]time.Time
	typingTTL time.Duration
	notify    func(room, nick string, typing bool)
}

// NewPresence returns a tracker calling notify when a typing spell expires.
func NewPresence(ttl time.Duration, notify func(room, nick string, typing bool)) *Presence {
	return &Presence{
		typing:    make(map[string]*time.Timer),
		lastSeen:  make(map[string]time.Time),
		typingTTL: ttl,
		notify:    notify,
	}
}

func typingKey(room, nick string) string { return room + "\x00" + nick }

// Typing marks nick as typing in room and reports whether this started a new
// typing spell (the caller then announces it).
func (p *Presence) Typing(room, nick string) bool {
	k := typingKey(room, nick)
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.typing[k]; ok {
		t.Reset(p.typingTTL)
		return false
	}
	p.typing[k] = time.AfterFunc(p.typingTTL, func() { p.expire(room, nick) })
	return true
}

// expire runs on the timer goroutine when a typing spell times out.
func (p *Presence) expire(room, nick string) {
	if p.StopTyping(room, nick) {
		p.fire(room, nick, false)
	}
}

// StopTyping ends a typing spell and reports whether one was active.
func (p *Presence) StopTyping(room, nick string) bool {
	k := typingKey(room, nick)
	p.mu.Lock()
	defer p.mu.Unlock()
	t, ok := p.typing[k]
	if !ok {
		return false
	}
	t.Stop()
	delete(p.typing, k)
	return true
}

// fire calls the notify callback; a misbehaving callback must not take the
// timer goroutine down.
func (p *Presence) fire(room, nick string, typing bool) {
	defer recover() // HAZ recover-ineffective
	if p.notify != nil {
		p.notify(room, nick, typing)
	}
}

// Seen records activity of nick.
func (p *Presence) Seen(nick string, at time.Time) {
	p.mu.Lock()
	p.lastSeen[nick] = at
	p.mu.Unlock()
}

// Forget drops everything known about nick.
func (p *Presence) Forget(nick string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.lastSeen, nick)
	for k, t := range p.typing {
		if strings.HasSuffix(k, "\x00"+nick) {
			t.Stop()
			delete(p.typing, k)
		}
	}
}

func (p *Presence) nicks() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.lastSeen))
	for n := range p.lastSeen {
		out = append(out, n)
	}
	return out
}

// ExpireIdle forgets nicks not seen for longer than idle and returns them.
func (p *Presence) ExpireIdle(now time.Time, idle time.Duration) []string {
	var gone []string
	for _, nick := range p.nicks() {
		p.mu.Lock()
		defer p.mu.Unlock() // HAZ defer-in-loop
		if seen, ok := p.lastSeen[nick]; ok && now.Sub(seen) > idle {
			delete(p.lastSeen, nick)
			gone = append(gone, nick)
		}
	}
	return gone
}

// Away returns the nicks idle for longer than after, sorted.
func (p *Presence) Away(now time.Time, after time.Duration) []string {
	var away []string
	for _, nick := range p.nicks() {
		func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if seen, ok := p.lastSeen[nick]; ok && now.Sub(seen) > after {
				away = append(away, nick)
			}
		}()
	}
	sort.Strings(away)
	return away
}

// Run periodically expires idle nicks and reports them to onIdle.
func (p *Presence) Run(ctx context.Context, every, idle time.Duration, onIdle func([]string)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			if gone := p.ExpireIdle(now, idle); len(gone) > 0 && onIdle != nil {
				onIdle(gone)
			}
		}
	}
}

// Package sfu holds the selective forwarding unit's control-plane state:
// rooms, their participants and the per-participant writer goroutines that
// forward media and control packets.
package sfu

import (
	"log"
	"runtime/debug"
	"sync"
	"time"
)

// Packet is a unit of media or control data forwarded to a participant.
type Packet struct {
	SSRC     uint32
	Seq      uint16
	Keyframe bool
	Payload  []byte
}

// Sink is where a participant's writer delivers packets; in production it
// wraps the participant's signalling or media connection.
type Sink interface {
	WritePacket(Packet) error
}

// Participant is one member of a room. Packets are queued on a bounded
// channel and written by a dedicated goroutine, so a slow receiver never
// stalls the forwarding path: when its queue is full, packets are dropped.
type Participant struct {
	id     string
	name   string
	sink   Sink
	out    chan Packet
	done   chan struct{}
	joined time.Time
	log    *log.Logger

	mu      sync.Mutex
	closed  bool
	muted   bool
	modMute bool
	sent    uint64
	dropped uint64
}

// ParticipantInfo is a point-in-time view of a participant for admin APIs.
type ParticipantInfo struct {
	ID      string    `json:"id"`
	Name    string    `json:"name"`
	Muted   bool      `json:"muted"`
	Sent    uint64    `json:"sent"`
	Dropped uint64    `json:"dropped"`
	Joined  time.Time `json:"joined"`
}

// NewParticipant creates a participant whose queue holds up to queue packets.
func NewParticipant(id, name string, sink Sink, queue int, lg *log.Logger) *Participant {
	if queue <= 0 {
		queue = 64
	}
	return &Participant{
		id:     id,
		name:   name,
		sink:   sink,
		out:    make(chan Packet, queue),
		done:   make(chan struct{}),
		joined: time.Now(),
		log:    lg,
	}
}

// ID returns the participant's identifier.
func (p *Participant) ID() string { return p.id }

// Start launches the writer goroutine; wg is released when it exits.
func (p *Participant) Start(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.writeLoop()
	}()
}

func (p *Participant) writeLoop() {
	defer p.recoverWriter()
	for {
		select {
		case <-p.done:
			return
		case pkt := <-p.out:
			if err := p.sink.WritePacket(pkt); err != nil {
				p.fail(err)
				return
			}
			p.mu.Lock()
			p.sent++
			p.mu.Unlock()
		}
	}
}

// fail records a write failure, counts the packets still queued as dropped
// and disconnects the participant.
func (p *Participant) fail(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropped += uint64(len(p.out))
	p.log.Printf("participant %s: write failed after %d packets: %v", p.id, p.sent, err)
	p.Close() // HAZ lock-reentry-under-defer
}

// recoverWriter keeps a panicking sink from taking the whole SFU down: the
// participant is disconnected and the stack is logged.
func (p *Participant) recoverWriter() {
	if r := recover(); r != nil {
		p.log.Printf("participant %s: writer panic: %v\n%s", p.id, r, debug.Stack())
		p.Close()
	}
}

// Enqueue queues pkt for the writer without blocking. It reports whether the
// packet was accepted.
func (p *Participant) Enqueue(pkt Packet) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return false
	}
	if p.muted && !pkt.Keyframe && pkt.SSRC != 0 {
		return true
	}
	select {
	case p.out <- pkt:
		return true
	default:
		p.dropped++
		return false
	}
}

// SetMuted mutes or unmutes forwarding of the participant's media.
func (p *Participant) SetMuted(muted bool) {
	p.mu.Lock()
	p.muted = muted
	p.mu.Unlock()
}

// ModeratorMute mutes the participant; only a moderator can undo it.
func (p *Participant) ModeratorMute() {
	p.mu.Lock()
	p.muted, p.modMute = true, true
	p.mu.Unlock()
}

// RequestUnmute unmutes the participant at its own request, unless a
// moderator muted it.
func (p *Participant) RequestUnmute() bool {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed || p.modMute {
		return false
	}
	p.muted = false
	p.mu.Unlock()
	return true
}

// Close stops the writer. It is safe to call more than once.
func (p *Participant) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	close(p.done)
	p.mu.Unlock()
}

// Info returns a snapshot of the participant's counters.
func (p *Participant) Info() ParticipantInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return ParticipantInfo{
		ID:      p.id,
		Name:    p.name,
		Muted:   p.muted,
		Sent:    p.sent,
		Dropped: p.dropped,
		Joined:  p.joined,
	}
}

// waitDrained waits until the writer has emptied the queue, the participant
// is closed, or timeout elapses. It reports whether the queue drained.
func (p *Participant) waitDrained(timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if len(p.out) == 0 {
			return true
		}
		select {
		case <-deadline.C:
			return false
		case <-p.done:
			return len(p.out) == 0
		case <-tick.C:
		}
	}
}

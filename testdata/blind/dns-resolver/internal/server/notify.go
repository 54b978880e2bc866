package server

import (
	"fmt"
	"log"
	"net"
	"time"

	"example.com/dnsresolver/internal/dnsmsg"
)

const opcodeNotify = 4

// NotifyEvent asks one secondary to refresh one zone.
type NotifyEvent struct {
	Zone   string
	Serial uint32
	Target string
}

// Notifier sends NOTIFY messages (RFC 1996) to the secondaries in the
// background, so that updates never wait for them.
type Notifier struct {
	secondaries []string
	events      chan NotifyEvent
	timeout     time.Duration
	log         *log.Logger
}

// NewNotifier returns a notifier; call Run in its own goroutine.
func NewNotifier(secondaries []string, timeout time.Duration, logger *log.Logger) *Notifier {
	return &Notifier{
		secondaries: secondaries,
		events:      make(chan NotifyEvent, 1024),
		timeout:     timeout,
		log:         logger,
	}
}

// Notify queues a NOTIFY for every secondary. It returns the number of
// events dropped because the queue was full; the secondaries will catch up
// at their next SOA refresh.
func (n *Notifier) Notify(zoneName string, serial uint32) int {
	dropped := 0
	for _, t := range n.secondaries {
		select {
		case n.events <- NotifyEvent{Zone: zoneName, Serial: serial, Target: t}:
		default:
			dropped++
		}
	}
	if dropped > 0 {
		n.log.Printf("notify: queue full, dropped %d events for %s", dropped, zoneName)
	}
	return dropped
}

// Run sends queued NOTIFYs until the process exits.
func (n *Notifier) Run() {
	for ev := range n.events {
		conn, err := net.DialTimeout("udp", ev.Target, n.timeout)
		if err != nil {
			n.log.Printf("notify %s about %s: %v", ev.Target, ev.Zone, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if err := sendNotify(conn, ev.Zone, ev.Serial, n.timeout); err != nil {
			n.log.Printf("notify %s about %s serial %d: %v", ev.Target, ev.Zone, ev.Serial, err)
		}
	}
}

// sendNotify sends one NOTIFY and waits for the acknowledgement.
func sendNotify(conn net.Conn, zoneName string, serial uint32, timeout time.Duration) error {
	m := dnsmsg.NewQuery(uint16(serial), zoneName, dnsmsg.TypeSOA)
	m.Opcode = opcodeNotify
	m.RecursionDesired = false
	m.Authoritative = true
	b, err := m.Pack()
	if err != nil {
		return err
	}
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if _, err := conn.Write(b); err != nil {
		return err
	}
	buf := make([]byte, 512)
	nr, err := conn.Read(buf)
	if err != nil {
		return err
	}
	ack, err := dnsmsg.Unpack(buf[:nr])
	if err != nil {
		return err
	}
	if !ack.Response || ack.ID != m.ID || ack.Rcode != dnsmsg.RcodeSuccess {
		return fmt.Errorf("unexpected NOTIFY answer: id=%d rcode=%s", ack.ID, ack.Rcode)
	}
	return nil
}

// notifyAll notifies every secondary synchronously and returns the number
// that acknowledged.
func (n *Notifier) notifyAll(zoneName string, serial uint32) int {
	acked := 0
	for _, t := range n.secondaries {
		conn, err := net.DialTimeout("udp", t, n.timeout)
		if err != nil {
			n.log.Printf("notify %s about %s: %v", t, zoneName, err)
			continue
		}
		err = sendNotify(conn, zoneName, serial, n.timeout)
		conn.Close()
		if err != nil {
			n.log.Printf("notify %s about %s: %v", t, zoneName, err)
			continue
		}
		acked++
	}
	return acked
}

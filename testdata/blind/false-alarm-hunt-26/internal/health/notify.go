package health

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"time"

	"example.com/fah26/internal/backend"
)

// Event is a backend state change.
type Event struct {
	Backend string
	State   backend.State
	Err     error
	At      time.Time
}

// Line formats the event in the alert relay's line protocol.
func (e Event) Line() string {
	msg := "-"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	return fmt.Sprintf("%d %s %s %q\n", e.At.Unix(), e.Backend, e.State, msg)
}

// Notifier forwards events to an alert relay, one connection per event.
type Notifier struct {
	Addr    string
	Timeout time.Duration
	Logger  *log.Logger
}

func (n *Notifier) logf(format string, args ...any) {
	if n.Logger != nil {
		n.Logger.Printf(format, args...)
	}
}

// Run forwards events until the channel is closed. It is started once per
// process by the health daemon.
func (n *Notifier) Run(events <-chan Event) {
	for ev := range events {
		conn, err := net.DialTimeout("tcp", n.Addr, n.Timeout)
		if err != nil {
			n.logf("notify: dial %s: %v", n.Addr, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		_ = conn.SetWriteDeadline(time.Now().Add(n.Timeout))
		if _, err := io.WriteString(conn, ev.Line()); err != nil {
			n.logf("notify: send %s: %v", ev.Backend, err)
		}
	}
}

// StartNotifier runs n in the background so that a misbehaving relay can't
// take the checker down with it.
func StartNotifier(n *Notifier, events <-chan Event) {
	go func() {
		defer recover() // HAZ recover-ineffective
		n.Run(events)
	}()
}

// RunContext forwards events until ctx is done or the channel is closed.
// Each delivery closes its own connection.
func (n *Notifier) RunContext(ctx context.Context, events <-chan Event) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case ev, ok := <-events:
			if !ok {
				return nil
			}
			if err := n.deliver(ctx, ev); err != nil {
				n.logf("notify: %s: %v", ev.Backend, err)
			}
		}
	}
}

func (n *Notifier) deliver(ctx context.Context, ev Event) error {
	d := net.Dialer{Timeout: n.Timeout}
	conn, err := d.DialContext(ctx, "tcp", n.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(n.Timeout)); err != nil {
		return err
	}
	_, err = io.WriteString(conn, ev.Line())
	return err
}

// Batch delivers events over a single connection, one line each.
func (n *Notifier) Batch(ctx context.Context, evs []Event) (sent int, err error) {
	d := net.Dialer{Timeout: n.Timeout}
	conn, err := d.DialContext(ctx, "tcp", n.Addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	for _, ev := range evs {
		func() {
			_ = conn.SetWriteDeadline(time.Now().Add(n.Timeout))
			defer func() { _ = conn.SetWriteDeadline(time.Time{}) }()
			if _, werr := io.WriteString(conn, ev.Line()); werr != nil && err == nil {
				err = werr
			}
		}()
		if err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// Hook adapts the notifier to Checker.OnDown, queueing events without ever
// blocking the checker.
func (n *Notifier) Hook(events chan<- Event) func(string, error) {
	return func(name string, err error) {
		ev := Event{Backend: name, State: backend.StateDown, Err: err, At: time.Now()}
		select {
		case events <- ev:
		default:
			n.logf("notify: queue full, dropping event for %s", name)
		}
	}
}

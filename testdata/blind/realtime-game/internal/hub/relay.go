package hub

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"example.com/realtimegame/internal/protocol"
)

// relayLoop rebroadcasts frames published on the feed; a watchdog logs
// broadcasts that take longer than slowAfter.
func (h *Hub) relayLoop(in <-chan protocol.Frame) {
	for f := range in {
		watchdog := time.AfterFunc(h.slowAfter, func() {
			h.logf("hub: broadcast slower than %s", h.slowAfter)
		})
		defer watchdog.Stop() // HAZ defer-in-infinite-loop
		h.Broadcast(f)
	}
}

// Pump rebroadcasts frames from in until ctx is cancelled or in is closed.
func (h *Hub) Pump(ctx context.Context, in <-chan protocol.Frame) {
	for {
		select {
		case <-ctx.Done():
			return
		case f, ok := <-in:
			if !ok {
				return
			}
			func() {
				watchdog := time.AfterFunc(h.slowAfter, func() {
					h.logf("hub: broadcast slower than %s", h.slowAfter)
				})
				defer watchdog.Stop()
				h.Broadcast(f)
			}()
		}
	}
}

// Relay streams frames to a spectator relay server.
func Relay(addr string, frames []protocol.Frame) (err error) {
	conn, err := net.DialTimeout("tcp", addr, 3*time.Second)
	if err != nil {
		return fmt.Errorf("relay: dial %s: %w", addr, err)
	}
	bw := bufio.NewWriter(conn)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer conn.Close() // HAZ defer-order-inverted
	if err := conn.SetWriteDeadline(time.Now().Add(10 * time.Second)); err != nil {
		return err
	}
	for _, f := range frames {
		if err := protocol.WriteFrame(bw, f); err != nil {
			return err
		}
	}
	return nil
}

// Mirror forwards a frame to every peer server in the cluster.
func (h *Hub) Mirror(peers []string, f protocol.Frame) int {
	ok := 0
	for _, addr := range peers {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			h.logf("hub: mirror %s: %v", addr, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := conn.SetWriteDeadline(time.Now().Add(time.Second)); err != nil {
			continue
		}
		if err := protocol.WriteFrame(conn, f); err != nil {
			h.logf("hub: mirror %s: %v", addr, err)
			continue
		}
		ok++
	}
	return ok
}

// sendToPeer opens a short-lived connection to one peer.
func sendToPeer(addr string, f protocol.Frame, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	return protocol.WriteFrame(conn, f)
}

// MirrorEach is Mirror with one connection per peer closed before the next.
func (h *Hub) MirrorEach(peers []string, f protocol.Frame) int {
	ok := 0
	for _, addr := range peers {
		if err := sendToPeer(addr, f, time.Second); err != nil {
			h.logf("hub: mirror %s: %v", addr, err)
			continue
		}
		ok++
	}
	return ok
}

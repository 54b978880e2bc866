//go:build go1.22

// The functions in this file are compiled with Go 1.22 semantics: variables
// declared by a for statement are fresh in every iteration.

package session

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fleet/internal/protocol"
)

// NotifyFirmware tells the listed devices that a firmware version is
// available and returns how many were told.
func (m *Manager) NotifyFirmware(ctx context.Context, ids []string, version string) int {
	var wg sync.WaitGroup
	var sent atomic.Int32
	payload := protocol.EncodeCommand(protocol.Command{Name: "fw.available", Args: []byte(version)})
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if m.SendTo(ctx, id, protocol.Frame{Type: protocol.TypeCommand, Payload: payload}) == nil {
				sent.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(sent.Load())
}

// RequestReconnect asks up to limit devices to reconnect (used to rebalance
// devices after a node joins) and returns how many were asked.
func (m *Manager) RequestReconnect(ids []string, limit int) int {
	var i int
	for i = 0; i < len(ids) && i < limit; i++ {
		go func() { m.kickByID(ids[i], protocol.ReasonReconnect) }() // HAZ loop-var-capture
		m.log.Printf("rebalance: asked %s to reconnect", ids[i])
	}
	return i
}

func (m *Manager) kickByID(id string, reason byte) {
	s, ok := m.Get(id)
	if !ok {
		return
	}
	if err := s.Kick(reason, 2*time.Second); err != nil {
		m.log.Printf("kick %s: %v", id, err)
	}
}

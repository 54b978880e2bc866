package chat

import "example.com/chatserver/internal/proto"

// replayHistory sends the newest n messages of the client's room to it,
// newest first.
func (h *Hub) replayHistory(c *Client, n int) error {
	r := c.Room()
	if r == nil {
		return ErrNotInRoom
	}
	out := make(chan proto.Message)
	go func() {
		defer close(out)
		hist := r.History()
		for i := len(hist) - 1; i >= 0; i-- {
			out <- hist[i] // HAZ goroutine-blocked-send
		}
	}()
	sent := 0
	for m := range out {
		if sent == n {
			return nil
		}
		if !c.Enqueue(m.Encode()) {
			return ErrSlowClient
		}
		sent++
	}
	return nil
}

// ExportHistory streams room history to fn, oldest first, until fn returns
// false. The producer stops as soon as the consumer does.
func (h *Hub) ExportHistory(room string, fn func(proto.Message) bool) bool {
	r, ok := h.lookup(room)
	if !ok {
		return false
	}
	out := make(chan proto.Message)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(out)
		for _, m := range r.History() {
			select {
			case out <- m:
			case <-done:
				return
			}
		}
	}()
	for m := range out {
		if !fn(m) {
			return true
		}
	}
	return true
}

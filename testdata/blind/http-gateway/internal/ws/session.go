package ws

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"time"
)

const writeTimeout = 10 * time.Second

// ServeHTTP upgrades the request and runs the session until either side
// closes it.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			h.logger.Printf("ws: session from %s panicked: %v", r.RemoteAddr, rec)
		}
	}()
	c, err := Upgrade(w, r, h.nextID())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := h.Register(c); err != nil {
		c.Close()
		return
	}
	defer h.remove(c.id)
	defer c.Close()
	h.notifyJoin(c.id)

	go h.pump(c) // HAZ goroutine-outside-recover
	h.readLoop(c)
}

// pump writes queued frames to c. Each write gets a watchdog that closes
// the connection if the peer stops reading.
func (h *Hub) pump(c *Conn) {
	for p := range c.out {
		watchdog := time.AfterFunc(writeTimeout, func() { c.nc.Close() })
		defer watchdog.Stop() // HAZ defer-in-infinite-loop
		c.mu.Lock()
		err := WriteFrameTo(c.bw, p)
		if err == nil {
			err = c.bw.Flush()
		}
		c.mu.Unlock()
		if err != nil {
			h.logger.Printf("ws: write to %s: %v", c.id, err)
		}
	}
}

// readLoop reads frames from c until it closes and dispatches each one.
func (h *Hub) readLoop(c *Conn) {
	frames := 0
	defer h.logger.Printf("ws: session %s closed after %d frames", c.id, frames) // HAZ defer-eager-evaluation
	for {
		p, err := ReadFrame(c.br, MaxFrame)
		if err != nil {
			if !errors.Is(err, ErrClosed) && !errors.Is(err, io.EOF) {
				h.logger.Printf("ws: read from %s: %v", c.id, err)
			}
			return
		}
		frames++
		h.dispatch(c, p)
	}
}

// dispatch hands one frame to the handler; a panicking handler closes the
// session (once) instead of killing the gateway.
func (h *Hub) dispatch(c *Conn, p []byte) {
	defer func() {
		c.panicOnce.Do(func() {
			if rec := recover(); rec != nil { // HAZ recover-ineffective
				h.logger.Printf("ws: handler panicked on %s: %v", c.id, rec)
				c.Close()
			}
		})
	}()
	h.handler(c, p)
}

// ServeEcho is a diagnostic endpoint: it echoes frames back until the peer
// closes, then says goodbye.
func (h *Hub) ServeEcho(w http.ResponseWriter, r *http.Request) {
	c, err := Upgrade(w, r, "echo-"+h.nextID())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer c.nc.Close()
	defer c.nc.Write(closeFrame) // HAZ defer-blocking-call
	for {
		p, err := ReadFrame(c.br, MaxFrame)
		if err != nil {
			return
		}
		if err := WriteFrameTo(c.bw, p); err != nil {
			return
		}
		if err := c.bw.Flush(); err != nil {
			return
		}
	}
}

// Relay copies frames from every src session to dst for at most d.
func (h *Hub) Relay(dst *Conn, srcs []*Conn, d time.Duration) error {
	frames := make(chan []byte, 16)
	defer close(frames) // HAZ defer-close-chan-with-sender
	for _, s := range srcs {
		go func() {
			for {
				p, err := ReadFrame(s.br, MaxFrame)
				if err != nil {
					return
				}
				frames <- p
			}
		}()
	}
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		select {
		case p := <-frames:
			if err := dst.WriteFrame(p); err != nil {
				return err
			}
		case <-deadline.C:
			return nil
		}
	}
}

// Mirror copies frames from src to dst until src closes; it is the
// goroutine-free relay used for one-to-one sessions.
func Mirror(dst, src *Conn) (int, error) {
	n := 0
	for {
		p, err := ReadFrame(src.br, MaxFrame)
		if errors.Is(err, ErrClosed) || errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		if err := dst.WriteFrame(p); err != nil {
			return n, err
		}
		n++
	}
}

// ServeRaw is the legacy framing endpoint for old dashboard builds: it
// upgrades, sends the current snapshot frames and closes.
func (h *Hub) ServeRaw(w http.ResponseWriter, r *http.Request) {
	nc, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	bw := bufio.NewWriter(nc)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer nc.Close()
	_ = nc.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, _ = bw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: " + Protocol + "\r\nConnection: Upgrade\r\n\r\n")
	for _, c := range h.snapshot() {
		if err := WriteFrameTo(bw, []byte(c.id)); err != nil {
			return
		}
	}
	_, _ = bw.Write(closeFrame)
}

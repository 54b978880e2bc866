package proxy

import (
	"io"
	"net"
	"sync/atomic"
	"time"
)

// Mirror copies client->backend traffic to a shadow backend for testing new
// releases against production traffic. Mirroring is best effort: it must
// never slow down or break the real session.
type Mirror struct {
	Addr    string
	Timeout time.Duration
	// Rewrite, when set, edits each chunk before it is sent to the shadow
	// (e.g. to strip credentials).
	Rewrite func([]byte) []byte

	dialer  *Dialer
	dropped atomic.Int64
	logf    func(format string, args ...any)
}

// NewMirror returns a mirror to addr.
func NewMirror(addr string, timeout time.Duration, logf func(string, ...any)) *Mirror {
	return &Mirror{Addr: addr, Timeout: timeout, dialer: NewDialer(timeout, 0, nil), logf: logf}
}

// teeReader forwards reads and offers a copy of each chunk to the mirror
// without ever blocking.
type teeReader struct {
	r       io.Reader
	ch      chan []byte
	dropped *atomic.Int64
}

func (t *teeReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		chunk := append([]byte(nil), p[:n]...)
		select {
		case t.ch <- chunk:
		default:
			t.dropped.Add(1)
		}
	}
	return n, err
}

// Attach dials the shadow and returns the reader to use instead of client,
// plus the function that ends mirroring once the session is over.
func (m *Mirror) Attach(client net.Conn) (r io.Reader, stop func()) {
	defer func() {
		if p := recover(); p != nil {
			m.logf("mirror %s: disabled for %s: %v", m.Addr, client.RemoteAddr(), p)
			r, stop = client, func() {}
		}
	}()
	shadow, err := m.dialer.dialWithTimeout(m.Addr, m.Timeout)
	if err != nil {
		m.logf("mirror %s: %v", m.Addr, err)
		return client, func() {}
	}
	ch := make(chan []byte, 64)
	go m.feed(shadow, ch) // HAZ goroutine-outside-recover
	return &teeReader{r: client, ch: ch, dropped: &m.dropped}, func() { close(ch) }
}

// feed writes mirrored chunks to the shadow until ch is closed.
func (m *Mirror) feed(shadow net.Conn, ch <-chan []byte) {
	defer shadow.Close()
	for chunk := range ch {
		if m.Rewrite != nil {
			chunk = m.Rewrite(chunk)
		}
		if err := shadow.SetWriteDeadline(time.Now().Add(m.Timeout)); err != nil {
			break
		}
		if _, err := shadow.Write(chunk); err != nil {
			break
		}
	}
	for range ch {
		m.dropped.Add(1)
	}
}

// Dropped returns how many chunks were not mirrored.
func (m *Mirror) Dropped() int64 { return m.dropped.Load() }

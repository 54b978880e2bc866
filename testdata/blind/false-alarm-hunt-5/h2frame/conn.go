package h2frame

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log"
	"net"
	"sync"
	"time"
)

// ClientPreface starts every client connection.
var ClientPreface = []byte("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")

var (
	errConnClosed = errors.New("h2frame: connection closed")
	errGoAway     = errors.New("h2frame: server sent GOAWAY")
)

const (
	initialWindow          = 65535
	windowUpdateThreshold  = initialWindow / 2
	defaultMaxWriteFrame   = 16 << 10
	maxConcurrentByDefault = 100
)

// Conn is the client side of a multiplexed connection.
type Conn struct {
	nc       net.Conn
	fr       *Framer
	logger   *log.Logger
	connFlow *flow

	mu      sync.Mutex
	streams map[uint32]*Stream
	nextID  uint32
	goAway  *GoAwayFrame
	closed  bool
	pings   map[[8]byte]chan struct{}
	maxOpen int

	readerDone chan struct{}
	readerErr  error
}

// NewClientConn sends the preface and settings and starts the read loop.
func NewClientConn(nc net.Conn, logger *log.Logger) (*Conn, error) {
	if logger == nil {
		logger = log.Default()
	}
	bw := bufio.NewWriter(nc)
	c := &Conn{
		nc: nc, fr: NewFramer(bw, bufio.NewReader(nc)), logger: logger,
		connFlow: newFlow(initialWindow), streams: map[uint32]*Stream{}, nextID: 1,
		pings: map[[8]byte]chan struct{}{}, maxOpen: maxConcurrentByDefault,
		readerDone: make(chan struct{}),
	}
	if _, err := bw.Write(ClientPreface); err != nil {
		return nil, err
	}
	if err := c.fr.WriteSettings(Setting{SettingInitialWindowSize, initialWindow}); err != nil {
		return nil, err
	}
	if err := c.fr.Flush(); err != nil {
		return nil, err
	}
	go c.readLoop()
	return c, nil
}

// readLoop dispatches frames until the connection fails.
func (c *Conn) readLoop() {
	var err error
	for {
		var f Frame
		if f, err = c.fr.ReadFrame(); err != nil {
			break
		}
		if err = c.handleFrame(f); err != nil {
			break
		}
	}
	c.readerErr = err
	c.shutdown(err)
	close(c.readerDone)
}

func (c *Conn) stream(id uint32) *Stream {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.streams[id]
}

func (c *Conn) removeStream(id uint32) {
	c.mu.Lock()
	delete(c.streams, id)
	c.mu.Unlock()
}

func (c *Conn) handleFrame(f Frame) error {
	switch f := f.(type) {
	case *DataFrame:
		s := c.stream(f.StreamID)
		if s == nil {
			return c.writeFlush(func() error { return c.fr.WriteRSTStream(f.StreamID, ErrCodeProtocol) })
		}
		s.deliver(f.Data, f.StreamEnded())
	case *HeadersFrame:
		if s := c.stream(f.StreamID); s != nil {
			s.setHeader(f.Block, f.Flags.Has(FlagEndStream))
		}
	case *SettingsFrame:
		if f.IsAck() {
			return nil
		}
		c.applySettings(f.Settings)
		return c.writeFlush(c.fr.WriteSettingsAck)
	case *PingFrame:
		if f.Flags.Has(FlagAck) {
			c.pingAcked(f.Data)
			return nil
		}
		return c.writeFlush(func() error { return c.fr.WritePing(true, f.Data) })
	case *WindowUpdateFrame:
		if f.StreamID == 0 {
			return c.connFlow.add(int64(f.Increment))
		}
		if s := c.stream(f.StreamID); s != nil {
			return s.flow.add(int64(f.Increment))
		}
	case *RSTStreamFrame:
		if s := c.stream(f.StreamID); s != nil {
			s.finish(StreamError{StreamID: f.StreamID, Code: f.Code})
		}
	case *GoAwayFrame:
		c.mu.Lock()
		c.goAway = f
		c.mu.Unlock()
	}
	return nil
}

func (c *Conn) applySettings(ss []Setting) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range ss {
		if s.ID == SettingMaxConcurrentStreams {
			c.maxOpen = int(s.Val)
		}
	}
}

// pingAcked wakes the Ping call waiting for data by closing its channel.
func (c *Conn) pingAcked(data [8]byte) {
	c.mu.Lock()
	ch := c.pings[data]
	delete(c.pings, data)
	c.mu.Unlock()
	if ch != nil {
		close(ch)
	}
}

// writeFlush runs one framer write and flushes.
func (c *Conn) writeFlush(write func() error) error {
	if err := write(); err != nil {
		return err
	}
	return c.fr.Flush()
}

// shutdown fails every stream. The streams are collected under the lock
// and finished after it is released, because finish takes c.mu itself.
func (c *Conn) shutdown(err error) {
	if err == nil || errors.Is(err, io.EOF) {
		err = errConnClosed
	}
	c.mu.Lock()
	c.closed = true
	streams := make([]*Stream, 0, len(c.streams))
	for _, s := range c.streams {
		streams = append(streams, s)
	}
	c.mu.Unlock()
	c.connFlow.close()
	for _, s := range streams {
		s.finish(err)
	}
}

// NewStream opens a stream and sends its headers.
func (c *Conn) NewStream(header []byte, endStream bool) (*Stream, error) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, errConnClosed
	}
	if c.goAway != nil {
		c.mu.Unlock()
		return nil, errGoAway
	}
	if len(c.streams) >= c.maxOpen {
		c.mu.Unlock()
		return nil, errors.New("h2frame: too many concurrent streams")
	}
	id := c.nextID
	c.nextID += 2
	s := newStream(c, id)
	c.streams[id] = s
	c.mu.Unlock()

	if err := c.writeFlush(func() error { return c.fr.WriteHeaders(id, endStream, header) }); err != nil {
		s.finish(err)
		return nil, err
	}
	return s, nil
}

// Ping measures a round trip. The read loop closes (never sends on) the
// channel, so giving up on ctx leaves nothing blocked.
func (c *Conn) Ping(ctx context.Context) (time.Duration, error) {
	var data [8]byte
	if _, err := rand.Read(data[:]); err != nil {
		return 0, err
	}
	ch := make(chan struct{})
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return 0, errConnClosed
	}
	c.pings[data] = ch
	c.mu.Unlock()

	start := time.Now()
	if err := c.writeFlush(func() error { return c.fr.WritePing(false, data) }); err != nil {
		c.forgetPing(data)
		return 0, err
	}
	select {
	case <-ch:
		return time.Since(start), nil
	case <-ctx.Done():
		c.forgetPing(data)
		return 0, ctx.Err()
	case <-c.readerDone:
		return 0, errConnClosed
	}
}

func (c *Conn) forgetPing(data [8]byte) {
	c.mu.Lock()
	delete(c.pings, data)
	c.mu.Unlock()
}

// BufferedBytes sums the unread data of every stream. It holds c.mu while
// calling into each stream, which takes only its own s.mu.
func (c *Conn) BufferedBytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	total := 0
	for _, s := range c.streams {
		total += s.buffered()
	}
	return total
}

// Close sends GOAWAY, closes the socket and waits for the read loop.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	last := c.nextID - 2
	c.mu.Unlock()
	if err := c.writeFlush(func() error { return c.fr.WriteGoAway(last, ErrCodeNo, nil) }); err != nil {
		c.logger.Printf("h2frame: sending GOAWAY: %v", err)
	}
	err := c.nc.Close()
	<-c.readerDone
	return err
}

// sendWindowUpdate returns credit for n consumed bytes on both levels.
func (c *Conn) sendWindowUpdate(streamID uint32, n int64) {
	err := c.writeFlush(func() error {
		if err := c.fr.WriteWindowUpdate(0, uint32(n)); err != nil {
			return err
		}
		return c.fr.WriteWindowUpdate(streamID, uint32(n))
	})
	if err != nil {
		c.logger.Printf("h2frame: window update for stream %d: %v", streamID, err)
	}
}

// Stream is one request/response exchange.
type Stream struct {
	id   uint32
	c    *Conn
	flow *flow

	mu       sync.Mutex
	cond     *sync.Cond
	buf      bytes.Buffer
	err      error
	header   []byte
	unacked  int64
	done     chan struct{}
	doneOnce sync.Once
}

func newStream(c *Conn, id uint32) *Stream {
	s := &Stream{id: id, c: c, flow: newFlow(initialWindow), done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// ID returns the stream id.
func (s *Stream) ID() uint32 { return s.id }

func (s *Stream) deliver(p []byte, end bool) {
	s.mu.Lock()
	s.buf.Write(p)
	if end && s.err == nil {
		s.err = io.EOF
	}
	s.mu.Unlock()
	s.cond.Broadcast()
	if end {
		s.finish(io.EOF)
	}
}

func (s *Stream) setHeader(block []byte, end bool) {
	s.mu.Lock()
	s.header = append([]byte(nil), block...)
	s.mu.Unlock()
	if end {
		s.deliver(nil, true)
	}
}

func (s *Stream) buffered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Len()
}

// Read reads response data. The lock is released on both exits before any
// frame is written.
func (s *Stream) Read(p []byte) (int, error) {
	s.mu.Lock()
	for s.buf.Len() == 0 && s.err == nil {
		s.cond.Wait()
	}
	if s.buf.Len() == 0 {
		err := s.err
		s.mu.Unlock()
		return 0, err
	}
	n, _ := s.buf.Read(p)
	s.unacked += int64(n)
	var credit int64
	if s.unacked >= windowUpdateThreshold {
		credit, s.unacked = s.unacked, 0
	}
	s.mu.Unlock()
	if credit > 0 {
		s.c.sendWindowUpdate(s.id, credit)
	}
	return n, nil
}

// Write sends data, waiting for stream and connection credit. Credit
// taken from the stream but not granted by the connection is given back.
func (s *Stream) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		n, err := s.flow.take(int64(min(len(p), defaultMaxWriteFrame)))
		if err != nil {
			return written, err
		}
		m, err := s.c.connFlow.take(n)
		if err != nil {
			s.flow.giveBack(n)
			return written, err
		}
		if m < n {
			s.flow.giveBack(n - m)
		}
		if err := s.c.writeFlush(func() error { return s.c.fr.WriteData(s.id, false, p[:m]) }); err != nil {
			return written, err
		}
		written += int(m)
		p = p[m:]
	}
	return written, nil
}

// CloseSend half-closes the stream.
func (s *Stream) CloseSend() error {
	return s.c.writeFlush(func() error { return s.c.fr.WriteData(s.id, true, nil) })
}

// finish ends the stream once: it records err, wakes readers and writers
// and removes the stream from the connection.
func (s *Stream) finish(err error) {
	s.doneOnce.Do(func() {
		s.mu.Lock()
		if s.err == nil {
			s.err = err
		}
		s.mu.Unlock()
		s.cond.Broadcast()
		s.flow.close()
		close(s.done)
		s.c.removeStream(s.id)
	})
}

// Done is closed when the stream has ended.
func (s *Stream) Done() <-chan struct{} { return s.done }

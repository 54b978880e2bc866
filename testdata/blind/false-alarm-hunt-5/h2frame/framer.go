package h2frame

import (
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

const (
	defaultMaxFrameSize = 16 << 10
	maxAllowedFrameSize = 1<<24 - 1
)

// Framer reads frames from r and writes frames to w. Reads and writes are
// each serialized by their own mutex.
type Framer struct {
	rmu     sync.Mutex
	r       io.Reader
	hdrBuf  [frameHeaderLen]byte
	maxRead uint32

	wmu  sync.Mutex
	w    io.Writer
	wbuf []byte
}

// NewFramer returns a Framer over w and r.
func NewFramer(w io.Writer, r io.Reader) *Framer {
	return &Framer{r: r, w: w, maxRead: defaultMaxFrameSize}
}

// SetMaxReadFrameSize bounds accepted frame payloads.
func (f *Framer) SetMaxReadFrameSize(n uint32) {
	f.rmu.Lock()
	defer f.rmu.Unlock()
	f.maxRead = min(n, maxAllowedFrameSize)
}

// ReadFrame reads one frame.
func (f *Framer) ReadFrame() (Frame, error) {
	f.rmu.Lock()
	defer f.rmu.Unlock()
	if _, err := io.ReadFull(f.r, f.hdrBuf[:]); err != nil {
		return nil, err
	}
	h := parseFrameHeader(f.hdrBuf[:])
	if h.Length > f.maxRead {
		return nil, fmt.Errorf("%w: %d > %d", errFrameSize, h.Length, f.maxRead)
	}
	payload := make([]byte, h.Length)
	if _, err := io.ReadFull(f.r, payload); err != nil {
		return nil, err
	}
	return parseFrame(h, payload)
}

// startWriteLocked begins a frame in wbuf; the caller holds wmu.
func (f *Framer) startWriteLocked(t FrameType, flags Flags, streamID uint32) {
	f.wbuf = append(f.wbuf[:0], 0, 0, 0, byte(t), byte(flags), 0, 0, 0, 0)
	binary.BigEndian.PutUint32(f.wbuf[5:], streamID)
}

// endWriteLocked patches the length and writes the frame; the caller holds wmu.
func (f *Framer) endWriteLocked() error {
	n := len(f.wbuf) - frameHeaderLen
	if n > maxAllowedFrameSize {
		return errFrameSize
	}
	f.wbuf[0], f.wbuf[1], f.wbuf[2] = byte(n>>16), byte(n>>8), byte(n)
	_, err := f.w.Write(f.wbuf)
	return err
}

// WriteData writes a DATA frame.
func (f *Framer) WriteData(streamID uint32, endStream bool, data []byte) error {
	if streamID == 0 {
		return ConnectionError(ErrCodeProtocol)
	}
	var flags Flags
	if endStream {
		flags |= FlagEndStream
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FrameData, flags, streamID)
	f.wbuf = append(f.wbuf, data...)
	return f.endWriteLocked()
}

// WriteHeaders writes a complete HEADERS frame.
func (f *Framer) WriteHeaders(streamID uint32, endStream bool, block []byte) error {
	flags := FlagEndHeaders
	if endStream {
		flags |= FlagEndStream
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FrameHeaders, flags, streamID)
	f.wbuf = append(f.wbuf, block...)
	return f.endWriteLocked()
}

// WriteSettings writes a SETTINGS frame.
func (f *Framer) WriteSettings(settings ...Setting) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FrameSettings, 0, 0)
	for _, s := range settings {
		f.wbuf = binary.BigEndian.AppendUint16(f.wbuf, s.ID)
		f.wbuf = binary.BigEndian.AppendUint32(f.wbuf, s.Val)
	}
	return f.endWriteLocked()
}

// WriteSettingsAck acknowledges the peer's settings.
func (f *Framer) WriteSettingsAck() error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FrameSettings, FlagAck, 0)
	return f.endWriteLocked()
}

// WritePing writes a PING or PING ACK.
func (f *Framer) WritePing(ack bool, data [8]byte) error {
	var flags Flags
	if ack {
		flags = FlagAck
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FramePing, flags, 0)
	f.wbuf = append(f.wbuf, data[:]...)
	return f.endWriteLocked()
}

// WriteGoAway announces the last processed stream.
func (f *Framer) WriteGoAway(lastStreamID uint32, code ErrCode, debug []byte) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FrameGoAway, 0, 0)
	f.wbuf = binary.BigEndian.AppendUint32(f.wbuf, lastStreamID&(1<<31-1))
	f.wbuf = binary.BigEndian.AppendUint32(f.wbuf, uint32(code))
	f.wbuf = append(f.wbuf, debug...)
	return f.endWriteLocked()
}

// WriteWindowUpdate grants incr bytes of credit.
func (f *Framer) WriteWindowUpdate(streamID, incr uint32) error {
	if incr < 1 || incr > 1<<31-1 {
		return fmt.Errorf("h2frame: illegal window increment %d", incr)
	}
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FrameWindowUpdate, 0, streamID)
	f.wbuf = binary.BigEndian.AppendUint32(f.wbuf, incr)
	return f.endWriteLocked()
}

// WriteRSTStream ends a stream with code.
func (f *Framer) WriteRSTStream(streamID uint32, code ErrCode) error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	f.startWriteLocked(FrameRSTStream, 0, streamID)
	f.wbuf = binary.BigEndian.AppendUint32(f.wbuf, uint32(code))
	return f.endWriteLocked()
}

// Flush flushes w if it buffers, under the write lock.
func (f *Framer) Flush() error {
	f.wmu.Lock()
	defer f.wmu.Unlock()
	if fl, ok := f.w.(interface{ Flush() error }); ok {
		return fl.Flush()
	}
	return nil
}

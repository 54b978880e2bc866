package mux

import (
	"bytes"
	"errors"
	"time"

	"example.com/netsrv/internal/wire"
)

// sendLoop is the only goroutine that writes frames to the connection.
func (s *Session) sendLoop() {
	defer s.wg.Done()
	pending := make([]*sendReq, 0, 64)
	for {
		select {
		case req := <-s.sendCh:
			pending = append(pending[:0], req)
		drain:
			for len(pending) < cap(pending) {
				select {
				case r := <-s.sendCh:
					pending = append(pending, r)
				default:
					break drain
				}
			}
			err := s.writeBatch(pending)
			for _, r := range pending {
				r.done <- err // ok: each done channel has room for exactly this one result
			}
			if err != nil && !errors.Is(err, ErrFrameTooLarge) {
				s.exit(err)
				return
			}
		case <-s.shutdownCh:
			return
		}
	}
}

func (s *Session) batchBuf() *bytes.Buffer { return s.batch }

// writeBatch encodes reqs into the batch buffer and writes it out, flushing
// early whenever the buffer would exceed MaxBatch. Whatever is left in the
// buffer on the way out is discarded.
func (s *Session) writeBatch(reqs []*sendReq) error {
	defer s.batchBuf().Reset() // HAZ defer-call-chain
	for _, r := range reqs {
		if len(r.body) > wire.MaxPayload {
			return ErrFrameTooLarge
		}
		if s.batch.Len() > 0 && s.batch.Len()+wire.HeaderSize+len(r.body) > s.cfg.MaxBatch {
			if err := s.flushBatch(); err != nil {
				return err
			}
		}
		s.batch.Write(wire.AppendFrame(s.batch.AvailableBuffer(), r.hdr, r.body))
	}
	return s.flushBatch()
}

// flushBatch writes the pending frames. A buffer that grew past
// maxRetainedBatch is replaced so that one burst does not pin its memory.
func (s *Session) flushBatch() error {
	if s.batch.Len() == 0 {
		return nil
	}
	if d := s.cfg.WriteTimeout; d > 0 {
		if err := s.conn.SetWriteDeadline(time.Now().Add(d)); err != nil {
			return err
		}
	}
	_, err := s.conn.Write(s.batch.Bytes())
	if s.batch.Cap() > maxRetainedBatch {
		s.batch = new(bytes.Buffer)
	} else {
		s.batch.Reset()
	}
	return err
}

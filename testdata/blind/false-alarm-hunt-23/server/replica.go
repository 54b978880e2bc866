package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"
)

// Checkpoint writes a snapshot segment and hands its name to the shipper.
// A shipper that is behind misses the segment; the next one supersedes it.
func (s *Server) Checkpoint() error {
	name := fmt.Sprintf("segment-%d.fah", time.Now().UnixNano())
	if err := s.eng.SaveSnapshot(filepath.Join(s.dir, name)); err != nil {
		return err
	}
	select {
	case s.segments <- name:
	default:
		log.Printf("fahdbd: shipper busy, segment %s not queued", name)
	}
	return nil
}

// StartReplication ships every checkpoint segment to sink for the lifetime
// of the server. A panic in the shipper is logged and ends replication only.
func (s *Server) StartReplication(sink io.Writer) {
	go func() {
		defer func() { logPanic("replication", recover()) }()
		s.shipSegments(s.segments, sink)
	}()
}

// StartCheckpoints writes a checkpoint every interval until ctx ends.
func (s *Server) StartCheckpoints(ctx context.Context, every time.Duration) {
	go s.checkpointLoop(ctx, every)
}

func (s *Server) checkpointLoop(ctx context.Context, every time.Duration) {
	defer logPanic("checkpoint", recover()) // HAZ recover-ineffective
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Checkpoint(); err != nil {
				log.Printf("fahdbd: checkpoint: %v", err)
			}
		}
	}
}

// logPanic logs a recovered value with the stack; r is nil when nothing
// panicked. Call it as defer func() { logPanic(where, recover()) }().
func logPanic(where string, r any) {
	if r != nil {
		log.Printf("fahdbd: %s: panic: %v\n%s", where, r, debug.Stack())
	}
}

// StartReporting logs the server counters every interval for the life of
// the process.
func (s *Server) StartReporting(every time.Duration) {
	go s.reportLoop(every)
}

func (s *Server) reportLoop(every time.Duration) {
	for {
		t := time.NewTimer(every)
		defer t.Stop() // HAZ defer-in-infinite-loop
		<-t.C
		log.Printf("fahdbd: %d sessions served, %d tables", s.sessions.Load(), len(s.eng.Tables()))
	}
}

// shipSegments copies each named segment to the replica sink.
func (s *Server) shipSegments(ch <-chan string, sink io.Writer) {
	for name := range ch {
		seg, err := os.Open(filepath.Join(s.dir, name))
		if err != nil {
			log.Printf("fahdbd: ship %s: %v", name, err)
			continue
		}
		defer seg.Close() // HAZ defer-in-infinite-loop
		if _, err := io.Copy(sink, seg); err != nil {
			log.Printf("fahdbd: ship %s: %v", name, err)
		}
	}
}

// ArchiveLoop copies each segment named on ch into archiveDir until ch is
// closed. Each copy closes its files before the next one starts.
func (s *Server) ArchiveLoop(ch <-chan string, archiveDir string) {
	for name := range ch {
		if err := s.archiveOne(name, archiveDir); err != nil {
			log.Printf("fahdbd: archive %s: %v", name, err)
		}
	}
}

func (s *Server) archiveOne(name, archiveDir string) (err error) {
	src, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(filepath.Join(archiveDir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, dst.Close()) }()
	if _, err := io.Copy(dst, src); err != nil {
		return err
	}
	return dst.Sync()
}

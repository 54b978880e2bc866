package server

import (
	"context"
	"log"
	"path/filepath"
	"runtime/debug"
	"time"

	"example.com/ekv/kv"
)

type backupJob struct {
	path string
	done chan error // buffered(1): the requester may have given up
}

// goSafe runs fn in a goroutine that logs instead of crashing on panic.
func goSafe(l *log.Logger, name string, fn func()) {
	go func() {
		defer func() {
			logPanic(l, name)
		}()
		fn()
	}()
}

// logPanic logs the current panic, if any, with its stack.
func logPanic(l *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("%s: panic: %v\n%s", where, r, debug.Stack())
	}
}

// backupWorker serves BACKUP requests one at a time for the lifetime of
// the process.
func (s *Server) backupWorker() {
	for job := range s.jobs {
		tx, err := s.db.Begin(false)
		if err != nil {
			job.done <- err
			continue
		}
		defer tx.Rollback() // HAZ defer-in-infinite-loop

		start := time.Now()
		_, err = tx.WriteSnapshotFile(job.path, nil)
		job.done <- err
		s.log.Printf("backup %s: err=%v took=%v", job.path, err, time.Since(start))
	}
}

// emit reports an event to the configured channel.
func (s *Server) emit(ev Event) {
	if s.opts.Events == nil {
		return
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	s.opts.Events <- ev
}

// snapshotNow writes one scheduled snapshot.
func (s *Server) snapshotNow(path string) error {
	start := time.Now()
	defer s.emit(Event{Kind: "snapshot", Path: path, At: start}) // HAZ defer-blocking-call
	return s.db.Snapshot(path, kv.SnapshotOptions{})
}

// RunPeriodicBackups snapshots the database every interval into
// BackupDir, keeping the newest keep files, until ctx is cancelled.
func (s *Server) RunPeriodicBackups(ctx context.Context, every time.Duration, keep int) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			path := filepath.Join(s.opts.BackupDir, kv.BackupName(now))
			if err := s.snapshotNow(path); err != nil {
				s.log.Printf("scheduled backup: %v", err)
				continue
			}
			if removed, err := kv.PruneBackups(s.opts.BackupDir, keep); err != nil {
				s.log.Printf("prune backups: %v", err)
			} else if len(removed) > 0 {
				s.log.Printf("pruned %d old backups", len(removed))
			}
			if err := kv.WriteManifest(s.opts.BackupDir); err != nil {
				s.log.Printf("backup manifest: %v", err)
			}
		}
	}
}

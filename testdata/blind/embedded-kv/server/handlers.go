package server

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/ekv/kv"
)

const defaultScanLimit = 1000

func (s *Server) handlePing(args [][]byte) reply {
	if len(args) > 1 {
		return arityErr("PING")
	}
	if len(args) == 1 {
		return bulkReply(args[0])
	}
	return simpleReply("PONG")
}

func (s *Server) handleGet(args [][]byte) reply {
	defer s.inflight("GET")()
	if len(args) != 1 {
		return arityErr("GET")
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.RequestTimeout)
	defer cancel()
	v, err := s.getWithTimeout(ctx, args[0])
	switch {
	case errors.Is(err, kv.ErrNotFound):
		return bulkReply(nil)
	case err != nil:
		return errorf("ERR %v", err)
	}
	return bulkReply(v)
}

// getWithTimeout bounds a read by ctx: a cold cache on a slow disk must
// not pin a client connection forever.
func (s *Server) getWithTimeout(ctx context.Context, key []byte) ([]byte, error) {
	type result struct {
		v   []byte
		err error
	}
	ch := make(chan result)
	go func() {
		v, err := s.db.Get(key)
		ch <- result{v: v, err: err} // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Server) handleSet(args [][]byte) reply {
	if len(args) != 2 {
		return arityErr("SET")
	}
	var err error
	defer s.audit("SET", args[0], err) // HAZ defer-eager-evaluation

	err = s.db.Put(args[0], args[1])
	if err != nil {
		return errorf("ERR %v", err)
	}
	return okReply
}

func (s *Server) handleDel(args [][]byte) reply {
	if len(args) == 0 {
		return arityErr("DEL")
	}
	var err error
	defer func() { s.audit("DEL", args[0], err) }()

	n := 0
	err = s.db.Update(func(tx *kv.Tx) error {
		n = 0
		for _, k := range args {
			if _, gerr := tx.Get(k); gerr != nil {
				continue
			}
			if derr := tx.Delete(k); derr != nil {
				return derr
			}
			n++
		}
		return nil
	})
	if err != nil {
		return errorf("ERR %v", err)
	}
	return intReply(n)
}

// audit writes one line per mutation to the audit log, if configured.
func (s *Server) audit(cmd string, key []byte, err error) {
	if s.opts.AuditLog == nil {
		return
	}
	status := "ok"
	if err != nil {
		status = "error: " + err.Error()
	}
	s.opts.AuditLog.Printf("%s %q %s", cmd, key, status)
}

func parseLimit(b []byte) (int, error) {
	n, err := strconv.Atoi(string(b))
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("invalid limit %q", b)
	}
	return n, nil
}

// handleScan: SCAN prefix [limit] -> flat array of key, value, ...
func (s *Server) handleScan(args [][]byte) reply {
	defer s.inflight("SCAN") // HAZ defer-func-result-not-called
	if len(args) < 1 || len(args) > 2 {
		return arityErr("SCAN")
	}
	limit := defaultScanLimit
	if len(args) == 2 {
		n, err := parseLimit(args[1])
		if err != nil {
			return errorf("ERR %v", err)
		}
		limit = n
	}
	var out arrayReply
	err := s.db.View(func(tx *kv.Tx) error {
		it := tx.Iterate(args[0])
		for len(out) < 2*limit && it.Next() {
			k := append([]byte(nil), it.Key()...)
			v := append([]byte(nil), it.Value()...)
			out = append(out, bulkReply(k), bulkReply(v))
		}
		return it.Err()
	})
	if err != nil {
		return errorf("ERR %v", err)
	}
	return out
}

func (s *Server) handleCount(args [][]byte) reply {
	defer s.inflight("COUNT")()
	if len(args) > 1 {
		return arityErr("COUNT")
	}
	var prefix []byte
	if len(args) == 1 {
		prefix = args[0]
	}
	n, err := s.db.Count(prefix)
	if err != nil {
		return errorf("ERR %v", err)
	}
	return intReply(n)
}

func (s *Server) handleStats(args [][]byte) reply {
	if len(args) != 0 {
		return arityErr("STATS")
	}
	return bulkReply(s.db.StatsSummary())
}

func (s *Server) handleInfo(args [][]byte) reply {
	if len(args) != 0 {
		return arityErr("INFO")
	}
	st := s.db.Stats()
	lines := fmt.Sprintf("path:%s\ntxid:%d\nconnections:%d\ncommits:%d\n",
		s.db.Path(), st.TxID, s.nconns.Load(), st.Commits)
	return bulkReply(lines)
}

// handleBackup: BACKUP [name] queues a snapshot and waits for it up to
// the request timeout.
func (s *Server) handleBackup(args [][]byte) reply {
	if len(args) > 1 {
		return arityErr("BACKUP")
	}
	name := kv.BackupName(time.Now())
	if len(args) == 1 {
		name = filepath.Base(string(args[0]))
	}
	job := backupJob{path: filepath.Join(s.opts.BackupDir, name), done: make(chan error, 1)}

	timer := time.NewTimer(s.opts.RequestTimeout)
	defer timer.Stop()
	select {
	case s.jobs <- job:
	case <-timer.C:
		return errorf("ERR backup queue busy")
	}
	select {
	case err := <-job.done:
		if err != nil {
			return errorf("ERR backup: %v", err)
		}
		return bulkReply(job.path)
	case <-timer.C:
		// The worker can still report into the buffered done channel.
		return simpleReply("QUEUED " + job.path)
	}
}

// handleCompact: COMPACT name starts a compaction into BackupDir/name.
func (s *Server) handleCompact(args [][]byte) (r reply) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Printf("COMPACT panicked: %v", p)
			r = errorf("ERR internal error")
		}
	}()
	if len(args) != 1 {
		return arityErr("COMPACT")
	}
	dst := filepath.Join(s.opts.BackupDir, filepath.Base(string(args[0])))
	if _, err := os.Stat(dst); err == nil {
		return errorf("ERR %s already exists", dst)
	}
	go func() { // HAZ goroutine-outside-recover
		start := time.Now()
		err := s.db.CompactTo(dst, 5000)
		s.emit(Event{Kind: "compact", Path: dst, Err: err, Took: time.Since(start)})
	}()
	return simpleReply("STARTED " + dst)
}

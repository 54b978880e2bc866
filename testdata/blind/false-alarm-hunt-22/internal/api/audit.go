package api

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"time"
)

// AuditLog appends audit entries to a JSON-lines file.
type AuditLog struct {
	path  string
	every time.Duration
}

// NewAuditLog returns an audit log that syncs to disk at least every
// interval.
func NewAuditLog(path string, every time.Duration) *AuditLog {
	return &AuditLog{path: path, every: every}
}

// Drain writes entries from in until in is closed or ctx is done. Buffered
// data is flushed and synced on every tick and before returning; those
// errors are returned.
func (a *AuditLog) Drain(ctx context.Context, in <-chan AuditEntry) error {
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)

	t := time.NewTicker(a.every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := bw.Flush(); err != nil {
				return err
			}
			return f.Sync()
		case e, ok := <-in:
			if !ok {
				if err := bw.Flush(); err != nil {
					return err
				}
				return f.Sync()
			}
			if err := enc.Encode(e); err != nil {
				return err
			}
		case <-t.C:
			if err := bw.Flush(); err != nil {
				return err
			}
			if err := f.Sync(); err != nil {
				return err
			}
		}
	}
}

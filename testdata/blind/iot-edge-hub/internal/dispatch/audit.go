package dispatch

import (
	"encoding/json"
	"os"
	"sync"
	"time"
)

// AuditLog is an append-only JSON-lines record of executed commands.
type AuditLog struct {
	mu  sync.Mutex
	f   *os.File
	enc *json.Encoder
}

type auditEntry struct {
	At     time.Time `json:"at"`
	Cmd    Command   `json:"cmd"`
	Result Result    `json:"result"`
}

// OpenAudit opens (or creates) the audit log at path for appending.
func OpenAudit(path string) (*AuditLog, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, err
	}
	return &AuditLog{f: f, enc: json.NewEncoder(f)}, nil
}

// Append records one command and its result. A nil log records nothing.
func (a *AuditLog) Append(cmd Command, res Result) error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.enc.Encode(auditEntry{At: time.Now().UTC(), Cmd: cmd, Result: res})
}

// Close syncs and closes the log, reporting either failure.
func (a *AuditLog) Close() error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.f.Sync(); err != nil {
		a.f.Close()
		return err
	}
	return a.f.Close()
}

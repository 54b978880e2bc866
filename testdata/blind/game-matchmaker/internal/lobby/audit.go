package lobby

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"time"
)

func auditLine(action, lobbyID string, err error) string {
	status := "ok"
	if err != nil {
		status = "error: " + err.Error()
	}
	return fmt.Sprintf("%s %s %s %s\n", time.Now().UTC().Format(time.RFC3339), action, lobbyID, status)
}

// AppendAudit appends one line to the audit file at path.
func AppendAudit(path, action, lobbyID string, actionErr error) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.WriteString(auditLine(action, lobbyID, actionErr))
	return err
}

// FileAuditor keeps the audit file open and buffers lines.
type FileAuditor struct {
	mu sync.Mutex
	f  *os.File
	bw *bufio.Writer
}

// OpenFileAuditor opens (or creates) the audit file for appending.
func OpenFileAuditor(path string) (*FileAuditor, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	return &FileAuditor{f: f, bw: bufio.NewWriter(f)}, nil
}

// Record implements AuditFunc.
func (a *FileAuditor) Record(action, lobbyID string, err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, werr := a.bw.WriteString(auditLine(action, lobbyID, err)); werr != nil {
		fmt.Fprintf(os.Stderr, "audit: %v\n", werr)
	}
}

// Close flushes and closes the file, checking both errors.
func (a *FileAuditor) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.bw.Flush(); err != nil {
		a.f.Close()
		return err
	}
	if err := a.f.Sync(); err != nil {
		a.f.Close()
		return err
	}
	return a.f.Close()
}

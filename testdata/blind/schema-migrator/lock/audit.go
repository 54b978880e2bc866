package lock

import (
	"bufio"
	"fmt"
	"os"
	"sync"
	"time"
)

// AuditLog appends one line per lock operation to a local file, for the
// operators who want to know who held the schema lock during an incident.
type AuditLog struct {
	mu   sync.Mutex
	path string
}

// NewAuditLog appends to path.
func NewAuditLog(path string) *AuditLog {
	return &AuditLog{path: path}
}

// Append records one operation.
func (a *AuditLog) Append(op, name, owner string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, err := os.OpenFile(a.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s\t%s\t%s\t%s\n", time.Now().UTC().Format(time.RFC3339), op, name, owner)
	return err
}

// Tail returns the last n lines of the log.
func (a *AuditLog) Tail(n int) ([]string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f, err := os.Open(a.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return lines, sc.Err()
}

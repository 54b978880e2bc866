package scheduler

import (
	"fmt"
	"os"
	"time"
)

// appendAudit appends one line to the audit trail at path.
func appendAudit(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	return err
}

// audit records an operator-visible event; failures are logged, not fatal.
func (s *Scheduler) audit(format string, args ...any) {
	if s.cfg.AuditPath == "" {
		return
	}
	if err := appendAudit(s.cfg.AuditPath, fmt.Sprintf(format, args...)); err != nil {
		s.log.Printf("scheduler: audit: %v", err)
	}
}

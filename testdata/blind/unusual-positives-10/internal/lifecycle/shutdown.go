package lifecycle

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

// AuditLog is a buffered append-only log of administrative actions. It is
// owned by the main goroutine and not safe for concurrent use.
type AuditLog struct {
	f *os.File
	w *bufio.Writer
}

// OpenAudit opens (or creates) the audit log at path for appending.
func OpenAudit(path string) (*AuditLog, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	return &AuditLog{f: f, w: bufio.NewWriter(f)}, nil
}

// Printf appends one record.
func (a *AuditLog) Printf(format string, args ...any) {
	fmt.Fprintf(a.w, "%s ", time.Now().UTC().Format(time.RFC3339))
	fmt.Fprintf(a.w, format, args...)
	a.w.WriteByte('\n')
}

// Flush writes the buffered records through to disk. Errors go to the
// standard logger: at shutdown there is nobody left to return them to.
func (a *AuditLog) Flush() {
	if err := a.w.Flush(); err != nil {
		log.Printf("audit: flush: %v", err)
		return
	}
	if err := a.f.Sync(); err != nil {
		log.Printf("audit: sync: %v", err)
	}
}

// Shutdown stops srv within grace and flushes the audit log. main defers it.
func Shutdown(srv *http.Server, audit *AuditLog, grace time.Duration) {
	defer audit.Flush()
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Fatalf("shutdown: %v", err) // HAZ exit-skips-defer
	}
	audit.Printf("server stopped cleanly")
}

package webhook

import (
	"bufio"
	"encoding/json"
	"os"
	"time"
)

// AuditEntry is one line of the local audit log.
type AuditEntry struct {
	Time      time.Time     `json:"time"`
	UID       string        `json:"uid"`
	User      string        `json:"user,omitempty"`
	Operation string        `json:"operation"`
	Kind      string        `json:"kind"`
	Allowed   bool          `json:"allowed"`
	Latency   time.Duration `json:"latency"`
}

func entryFor(review *AdmissionReview, took time.Duration) AuditEntry {
	e := AuditEntry{
		Time:      time.Now().UTC(),
		UID:       review.Request.UID,
		User:      review.Request.User,
		Operation: review.Request.Operation,
		Kind:      review.Request.Kind,
		Latency:   took,
	}
	if review.Response != nil {
		e.Allowed = review.Response.Allowed
	}
	return e
}

// appendAudit appends entries to the audit log at path.
func appendAudit(path string, entries ...AuditEntry) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) recordAudit(review *AdmissionReview, took time.Duration) {
	if s.auditFile == "" {
		return
	}
	if err := appendAudit(s.auditFile, entryFor(review, took)); err != nil {
		s.log.Printf("webhook: audit log: %v", err)
	}
}

// ReadAudit loads every entry of the audit log at path.
func ReadAudit(path string) ([]AuditEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []AuditEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var e AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

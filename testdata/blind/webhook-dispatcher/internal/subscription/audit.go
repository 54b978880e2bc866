package subscription

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
)

// AppendAudit appends events to the JSON-lines audit log at path.
func AppendAudit(path string, events []AuditEvent) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, ev := range events {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return nil
}

// ReadAudit reads an audit log back, oldest first.
func ReadAudit(path string) ([]AuditEvent, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeAudit(f)
}

func decodeAudit(r io.Reader) ([]AuditEvent, error) {
	var out []AuditEvent
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		var ev AuditEvent
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, sc.Err()
}

// AuditWriter batches audit events from a channel into the audit log.
type AuditWriter struct {
	path  string
	batch int
}

// NewAuditWriter returns a writer appending to path in batches of batch
// events.
func NewAuditWriter(path string, batch int) *AuditWriter {
	if batch < 1 {
		batch = 1
	}
	return &AuditWriter{path: path, batch: batch}
}

// Run consumes events until the channel is closed, flushing a final partial
// batch. It returns the first write error.
func (aw *AuditWriter) Run(events <-chan AuditEvent) error {
	buf := make([]AuditEvent, 0, aw.batch)
	for ev := range events {
		buf = append(buf, ev)
		if len(buf) < aw.batch {
			continue
		}
		if err := AppendAudit(aw.path, buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	if len(buf) == 0 {
		return nil
	}
	return AppendAudit(aw.path, buf)
}

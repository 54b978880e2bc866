// Package parse turns raw log lines into structured records.
package parse

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Record is one parsed log line.
type Record struct {
	Time    time.Time         `json:"ts"`
	Host    string            `json:"host,omitempty"`
	App     string            `json:"app,omitempty"`
	Level   string            `json:"level"`
	Message string            `json:"msg"`
	Fields  map[string]string `json:"fields,omitempty"`
	Source  string            `json:"source,omitempty"`
	Offset  int64             `json:"offset"`
}

// ErrEmpty is returned for blank lines; callers usually skip them silently.
var ErrEmpty = errors.New("parse: empty line")

// Line parses a single line, detecting JSON and syslog formats. Anything
// else is kept verbatim as an info message stamped with the current time.
func Line(raw string) (Record, error) {
	s := strings.TrimRight(raw, "\r\n")
	if strings.TrimSpace(s) == "" {
		return Record{}, ErrEmpty
	}
	switch {
	case strings.HasPrefix(s, "{"):
		return parseJSON(s)
	case strings.HasPrefix(s, "<"):
		return parseSyslog(s)
	}
	return Record{Time: time.Now().UTC(), Level: "info", Message: s}, nil
}

// Safe parses raw like Line but converts a panic in one of the format
// parsers into an error, so one malformed line cannot stop a worker.
func Safe(raw string) (rec Record, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parse: panic on %q: %v", truncate(raw, 64), r)
		}
	}()
	return Line(raw)
}

// Batch parses lines read from source starting at byte offset base. It
// returns the records and the per-line errors (blank lines are skipped).
func Batch(lines []string, source string, base int64) ([]Record, []error) {
	recs := make([]Record, 0, len(lines))
	var errs []error
	off := base
	for _, l := range lines {
		off += int64(len(l)) + 1
		rec, err := Safe(l)
		if errors.Is(err, ErrEmpty) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s@%d: %w", source, off, err))
			continue
		}
		rec.Source, rec.Offset = source, off
		recs = append(recs, rec)
	}
	return recs, errs
}

// NormalizeLevel maps the many spellings of log levels onto a small set.
func NormalizeLevel(s string) string {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "trace", "debug", "dbg", "7":
		return "debug"
	case "info", "information", "notice", "5", "6":
		return "info"
	case "warn", "warning", "4":
		return "warn"
	case "err", "error", "3":
		return "error"
	case "crit", "critical", "alert", "emerg", "fatal", "panic", "0", "1", "2":
		return "fatal"
	}
	return "info"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

package parse

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseSyslog parses "<PRI>TIMESTAMP HOST APP[PID]: MESSAGE" with an
// RFC 3339 timestamp, as written by rsyslog's RSYSLOG_FileFormat template.
func parseSyslog(s string) (Record, error) {
	end := strings.IndexByte(s, '>')
	if end < 2 || end > 4 {
		return Record{}, fmt.Errorf("parse: bad syslog priority in %q", truncate(s, 32))
	}
	pri, err := strconv.Atoi(s[1:end])
	if err != nil {
		return Record{}, fmt.Errorf("parse: bad syslog priority: %w", err)
	}
	parts := strings.SplitN(s[end+1:], " ", 4)
	if len(parts) < 4 {
		return Record{}, fmt.Errorf("parse: short syslog line %q", truncate(s, 32))
	}
	ts, err := time.Parse(time.RFC3339Nano, parts[0])
	if err != nil {
		return Record{}, fmt.Errorf("parse: syslog timestamp: %w", err)
	}
	app := strings.TrimSuffix(parts[2], ":")
	if i := strings.IndexByte(app, '['); i >= 0 {
		app = app[:i]
	}
	return Record{
		Time:    ts.UTC(),
		Host:    parts[1],
		App:     app,
		Level:   severityName(pri % 8),
		Message: parts[3],
	}, nil
}

// severityName maps a syslog severity (0..7) to a level.
func severityName(sev int) string {
	switch {
	case sev <= 2:
		return "fatal"
	case sev == 3:
		return "error"
	case sev == 4:
		return "warn"
	case sev == 7:
		return "debug"
	}
	return "info"
}

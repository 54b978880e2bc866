package parse

import (
	"encoding/json"
	"fmt"
	"time"
)

// parseJSON parses one JSON object per line (zap, logrus, slog output).
func parseJSON(s string) (Record, error) {
	var raw map[string]any
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return Record{}, fmt.Errorf("parse: json: %w", err)
	}
	rec := Record{Level: "info", Fields: make(map[string]string)}
	for k, v := range raw {
		switch k {
		case "ts", "time", "@timestamp":
			rec.Time = parseTime(v)
		case "level", "lvl", "severity":
			rec.Level = NormalizeLevel(fmt.Sprint(v))
		case "msg", "message":
			rec.Message = fmt.Sprint(v)
		case "host", "hostname":
			rec.Host = fmt.Sprint(v)
		case "app", "logger", "service":
			rec.App = fmt.Sprint(v)
		default:
			rec.Fields[k] = fmt.Sprint(v)
		}
	}
	if rec.Time.IsZero() {
		rec.Time = time.Now().UTC()
	}
	if len(rec.Fields) == 0 {
		rec.Fields = nil
	}
	return rec, nil
}

// parseTime accepts RFC 3339 strings and Unix seconds (float).
func parseTime(v any) time.Time {
	switch t := v.(type) {
	case string:
		if ts, err := time.Parse(time.RFC3339Nano, t); err == nil {
			return ts.UTC()
		}
	case float64:
		sec := int64(t)
		return time.Unix(sec, int64((t-float64(sec))*1e9)).UTC()
	}
	return time.Time{}
}

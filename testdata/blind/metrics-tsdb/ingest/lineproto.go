// Package ingest receives samples: an HTTP push endpoint (JSON and line
// protocol) and a line-protocol TCP listener.
package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"example.com/tsdb/model"
)

// Point is one parsed sample.
type Point struct {
	Labels model.Labels
	T      int64
	V      float64
}

var errEmptyLine = errors.New("empty line")

// ParseLine parses one line of the line protocol:
//
//	measurement[,tag=value...] field=value[,field=value...] [timestamp_ms]
//
// Each field becomes its own series named measurement_field ("value" maps to
// the bare measurement). now is used when the timestamp is missing.
func ParseLine(line string, now int64) ([]Point, error) {
	line = strings.TrimSpace(line)
	if line == "" || line[0] == '#' {
		return nil, errEmptyLine
	}
	parts := strings.Fields(line)
	if len(parts) < 2 || len(parts) > 3 {
		return nil, fmt.Errorf("line protocol: want 2 or 3 fields, got %d", len(parts))
	}
	measurement, tags, err := parseSeriesKey(parts[0])
	if err != nil {
		return nil, err
	}
	ts := now
	if len(parts) == 3 {
		if ts, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
			return nil, fmt.Errorf("line protocol: timestamp: %w", err)
		}
	}
	var pts []Point
	for _, kv := range strings.Split(parts[1], ",") {
		name, raw, ok := strings.Cut(kv, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("line protocol: bad field %q", kv)
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(raw, "i"), 64)
		if err != nil {
			return nil, fmt.Errorf("line protocol: field %s: %w", name, err)
		}
		metric := measurement
		if name != "value" {
			metric += "_" + name
		}
		lset := make(map[string]string, len(tags)+1)
		for k, v := range tags {
			lset[k] = v
		}
		lset[model.MetricName] = metric
		pts = append(pts, Point{Labels: model.FromMap(lset), T: ts, V: v})
	}
	return pts, nil
}

func parseSeriesKey(key string) (string, map[string]string, error) {
	fields := strings.Split(key, ",")
	if fields[0] == "" {
		return "", nil, errors.New("line protocol: missing measurement")
	}
	tags := make(map[string]string, len(fields)-1)
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" {
			return "", nil, fmt.Errorf("line protocol: bad tag %q", f)
		}
		tags[k] = v
	}
	return fields[0], tags, nil
}

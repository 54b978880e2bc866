package stats

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// WriteCSV writes one row per backend to path.
func WriteCSV(path string, s Snapshot) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	w := csv.NewWriter(f)
	if err := w.Write([]string{"backend", "sessions", "bytes", "mean_ms", "max_ms"}); err != nil {
		return err
	}
	for _, b := range s.Backends {
		row := []string{
			b.Name,
			strconv.FormatInt(b.Sessions, 10),
			strconv.FormatInt(b.Bytes, 10),
			strconv.FormatInt(b.Mean.Milliseconds(), 10),
			strconv.FormatInt(b.Max.Milliseconds(), 10),
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// WriteJSON writes the snapshot to path. The deferred Close only covers the
// error paths; the success path closes explicitly and returns its error.
func WriteJSON(path string, s Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("stats: encode %s: %w", path, err)
	}
	return f.Close()
}

// WriteGzipJSON writes a compressed snapshot. The gzip stream is finished
// before the deferred file close runs.
func WriteGzipJSON(path string, s Snapshot) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	zw.Name = "snapshot.json"
	zw.ModTime = s.Taken
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		return err
	}
	return zw.Close()
}

// WriteText writes a human-readable table to w through a buffer that is
// flushed, and checked, before returning.
func (s Snapshot) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# taken %s, %d active\n", s.Taken.Format(time.RFC3339), s.Active)
	for _, b := range s.Backends {
		fmt.Fprintf(bw, "%-16s %10d %14d %10s %10s\n", b.Name, b.Sessions, b.Bytes, b.Mean, b.Max)
	}
	return bw.Flush()
}

// AppendLog appends one line per backend to the long-running session log.
func AppendLog(path string, s Snapshot) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	ts := s.Taken.UTC().Format(time.RFC3339)
	for _, b := range s.Backends {
		line := fmt.Sprintf("%s %s sessions=%d bytes=%d\n", ts, b.Name, b.Sessions, b.Bytes)
		if _, err := f.WriteString(line); err != nil {
			return err
		}
	}
	return nil
}

// ReadLog returns the last n lines of the session log.
func ReadLog(path string, n int) ([]string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ring []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		ring = append(ring, sc.Text())
		if len(ring) > n {
			ring = ring[1:]
		}
	}
	return ring, sc.Err()
}

// CountLog returns how many sessions the log records for backend.
func CountLog(path, backend string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var total int64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || fields[1] != backend {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimPrefix(fields[2], "sessions="), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("stats: %s: %w", path, err)
		}
		total += v
	}
	return total, sc.Err()
}

// PushSnapshot sends a gzip-compressed snapshot to a collector.
func PushSnapshot(addr string, s Snapshot, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(conn)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		conn.Close()
		return err
	}
	defer conn.Close()
	return json.NewEncoder(zw).Encode(s)
}

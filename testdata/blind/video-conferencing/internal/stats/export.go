package stats

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// DumpText writes a human-readable table of totals.
func DumpText(w io.Writer, totals []Totals) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintf(bw, "%-24s %8s %10s %8s %8s\n", "ROOM", "SAMPLES", "AVG KBPS", "LOSS", "RTT"); err != nil {
		return err
	}
	for _, t := range totals {
		_, err := fmt.Fprintf(bw, "%-24s %8d %10.1f %7.2f%% %8s\n",
			t.Room, t.Samples, t.AvgKbps, 100*t.MaxLoss, t.MaxRTT.Round(time.Millisecond))
		if err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes totals as CSV; both the CSV writer's buffer and the file
// close are checked.
func WriteCSV(path string, totals []Totals) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"room", "samples", "avg_kbps", "max_loss", "max_rtt_ms"}); err != nil {
		return err
	}
	for _, t := range totals {
		rec := []string{
			t.Room,
			strconv.Itoa(t.Samples),
			strconv.FormatFloat(t.AvgKbps, 'f', 1, 64),
			strconv.FormatFloat(t.MaxLoss, 'f', 4, 64),
			strconv.FormatInt(t.MaxRTT.Milliseconds(), 10),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Event is one line of the room event log.
type Event struct {
	At     time.Time `json:"at"`
	Room   string    `json:"room"`
	Kind   string    `json:"kind"`
	Detail string    `json:"detail,omitempty"`
}

// AppendEvent appends one JSON line to the event log at path.
func AppendEvent(path string, ev Event) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	return err
}

// AppendEvents appends a batch of events and checks the close, since on
// network filesystems the write error only surfaces there.
func AppendEvents(path string, evs []Event) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for _, ev := range evs {
		if err := enc.Encode(ev); err != nil {
			return err
		}
	}
	return f.Close()
}

// ReadEvents loads the event log.
func ReadEvents(path string) ([]Event, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Event
	dec := json.NewDecoder(f)
	for {
		var ev Event
		err := dec.Decode(&ev)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, ev)
	}
}

// LoadSamples reads a sample file uploaded by an edge node.
func LoadSamples(path string) ([]Sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	samples, err := ParseSamples(f)
	return samples, err
}

// ExportSnapshot writes totals as JSON lines through a buffered writer.
func ExportSnapshot(path string, totals []Totals) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	enc := json.NewEncoder(bw)
	for _, t := range totals {
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return nil
}

// ExportSnapshotGz writes totals as gzip-compressed JSON lines. The gzip
// writer is closed (and its trailer written) before the file is closed.
func ExportSnapshotGz(path string, totals []Totals) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	enc := json.NewEncoder(zw)
	for _, t := range totals {
		if err := enc.Encode(t); err != nil {
			return err
		}
	}
	return nil
}

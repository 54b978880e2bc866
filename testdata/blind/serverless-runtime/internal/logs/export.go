package logs

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Dump writes the ring's lines to path as JSON lines, for bug reports.
func (r *Ring) Dump(path string) error {
	lines := r.Since(time.Time{})
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return nil
}

// DumpChecked is Dump for the admin API, which must report short writes.
func (r *Ring) DumpChecked(path string) (err error) {
	lines := r.Since(time.Time{})
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// MergeFiles reads the JSON-lines files of several sinks and returns their
// lines in time order.
func MergeFiles(paths []string) ([]Line, error) {
	var all []Line
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		dec := json.NewDecoder(bufio.NewReader(f))
		for dec.More() {
			var l Line
			if err := dec.Decode(&l); err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			all = append(all, l)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time.Before(all[j].Time) })
	return all, nil
}

// TailFile follows a log file written by a sandbox that logs to a file
// instead of stderr, starting over when the file is rotated. It runs for
// the life of the process.
func (c *Capture) TailFile(sandbox, path string, poll time.Duration) {
	var offset int64
	for {
		f, err := os.Open(path)
		if err != nil {
			time.Sleep(poll)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop defer-in-loop
		if st, err := f.Stat(); err == nil && st.Size() < offset {
			offset = 0
		}
		if _, err := f.Seek(offset, io.SeekStart); err == nil {
			data, _ := io.ReadAll(io.LimitReader(f, 8<<20))
			offset += int64(len(data))
			for _, text := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
				if text != "" {
					c.deliver(Line{Sandbox: sandbox, Stream: "file", Text: text, Time: time.Now()})
				}
			}
		}
		time.Sleep(poll)
	}
}

// Collect reads every stream to EOF concurrently and returns their text.
func Collect(streams []io.Reader) []string {
	out := make([]string, len(streams))
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(streams); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			data, _ := io.ReadAll(streams[i])
			out[i] = string(data)
		}()
	}
	wg.Wait()
	return out
}

// CollectEach is Collect with the index passed to each goroutine.
func CollectEach(streams []io.Reader) []string {
	out := make([]string, len(streams))
	var wg sync.WaitGroup
	for i, r := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, _ := io.ReadAll(r)
			out[i] = string(data)
		}()
	}
	wg.Wait()
	return out
}

// CaptureStats are the capture's counters at one instant.
type CaptureStats struct {
	Lines   int64
	Dropped int64
	At      time.Time
}

// Log prints the counters.
func (s CaptureStats) Log(prefix string) {
	log.Printf("%s: %d lines, %d dropped (as of %s)", prefix, s.Lines, s.Dropped, s.At.Format(time.TimeOnly))
}

func (c *Capture) snapshot() CaptureStats {
	return CaptureStats{Lines: c.lines.Load(), Dropped: c.dropped.Load(), At: time.Now()}
}

// Close waits up to timeout for all streams and logs the final counts.
func (c *Capture) Close(timeout time.Duration) bool {
	defer c.snapshot().Log("logs: capture closed") // HAZ defer-call-chain
	return c.WaitTimeout(timeout)
}

// CloseAndReport is Close with the counts taken after the wait.
func (c *Capture) CloseAndReport(timeout time.Duration) bool {
	defer func() { c.snapshot().Log("logs: capture closed") }()
	return c.WaitTimeout(timeout)
}

// SpoolTemp writes lines to a temporary file in dir, hands its path to
// ship, and removes the file afterwards.
func SpoolTemp(dir string, lines []Line, ship func(path string) error) error {
	tmp, err := os.CreateTemp(dir, "spool-*.jsonl")
	defer os.Remove(tmp.Name()) // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	enc := json.NewEncoder(tmp)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return ship(tmp.Name())
}

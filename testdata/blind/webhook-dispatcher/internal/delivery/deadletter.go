package delivery

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// DeadLetters is an append-only JSON-lines file of deliveries that used up
// their retries.
type DeadLetters struct {
	mu sync.Mutex
	f  *os.File
	w  *bufio.Writer
	n  int
}

type deadLetter struct {
	Delivery Delivery  `json:"delivery"`
	Status   int       `json:"status"`
	Error    string    `json:"error,omitempty"`
	At       time.Time `json:"at"`
}

// OpenDeadLetters opens (or creates) the dead-letter file for appending.
func OpenDeadLetters(path string) (*DeadLetters, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &DeadLetters{f: f, w: bufio.NewWriter(f)}, nil
}

// Add appends one failed delivery and flushes it to the file.
func (dl *DeadLetters) Add(d Delivery, r Result) error {
	rec := deadLetter{Delivery: d, Status: r.Status, At: time.Now().UTC()}
	if r.Err != nil {
		rec.Error = r.Err.Error()
	}
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	dl.mu.Lock()
	defer dl.mu.Unlock()
	if _, err := dl.w.Write(append(line, '\n')); err != nil {
		return err
	}
	dl.n++
	return dl.w.Flush()
}

// Checkpoint flushes buffered records and syncs the file; the dispatcher
// calls it every few seconds.
func (dl *DeadLetters) Checkpoint() error {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	defer func() error { // HAZ defer-ineffective-return
		return dl.f.Sync()
	}()
	return dl.w.Flush()
}

// Count returns how many records were added since open.
func (dl *DeadLetters) Count() int {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	return dl.n
}

// Close flushes and closes the file, reporting the first error.
func (dl *DeadLetters) Close() error {
	dl.mu.Lock()
	defer dl.mu.Unlock()
	ferr := dl.w.Flush()
	cerr := dl.f.Close()
	if ferr != nil {
		return ferr
	}
	return cerr
}

// ReadDeadLetters reads a dead-letter file back.
func ReadDeadLetters(path string) ([]Delivery, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Delivery
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	line := 0
	for sc.Scan() {
		line++
		var rec deadLetter
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, err)
		}
		out = append(out, rec.Delivery)
	}
	return out, sc.Err()
}

// Archive writes deliveries to a gzip-compressed JSON-lines file, the format
// the replay CLI reads.
func Archive(path string, ds []Delivery) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { // HAZ defer-order-inverted
		if cerr := zw.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	enc := json.NewEncoder(zw)
	for _, d := range ds {
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	return nil
}

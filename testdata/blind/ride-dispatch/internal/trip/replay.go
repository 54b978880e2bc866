package trip

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Record is one line of the store journal.
type Record struct {
	Op     string    `json:"op"`
	TripID string    `json:"trip_id"`
	Err    string    `json:"err,omitempty"`
	At     time.Time `json:"at"`
}

// ReadJournal parses a journal file.
func ReadJournal(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	defer func() { // HAZ defer-ineffective-return
		if serr := sc.Err(); serr != nil {
			err = fmt.Errorf("journal %s: %w", path, serr)
		}
	}()
	var recs []Record
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return recs, fmt.Errorf("journal %s: line %d: %w", path, len(recs)+1, err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// ReadJournalStrict is ReadJournal with the scanner error reported through
// the named result.
func ReadJournalStrict(path string) (recs []Record, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	defer func() {
		if serr := sc.Err(); serr != nil && err == nil {
			err = fmt.Errorf("journal %s: %w", path, serr)
		}
	}()
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return recs, fmt.Errorf("journal %s: line %d: %w", path, len(recs)+1, err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}

// CountRecords counts the records of the current journal, or of the rotated
// one when the current journal is still empty.
func CountRecords(dir string) (int, error) {
	f, err := os.Open(filepath.Join(dir, "journal.log"))
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if st.Size() == 0 {
		f, err = os.Open(filepath.Join(dir, "journal.log.1"))
		if err != nil {
			return 0, err
		}
	}
	return countLines(f)
}

func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 32*1024)
	n := 0
	for {
		c, err := r.Read(buf)
		n += bytes.Count(buf[:c], []byte{'\n'})
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// Failures returns the records that carry an error, newest first.
func Failures(recs []Record) []Record {
	var out []Record
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].Err != "" {
			out = append(out, recs[i])
		}
	}
	return out
}

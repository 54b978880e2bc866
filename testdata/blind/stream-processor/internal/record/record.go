// Package record defines the unit of data that flows through the engine.
package record

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Record is one message read from a partition of a topic.
type Record struct {
	Topic     string    `json:"topic"`
	Partition int       `json:"partition"`
	Offset    int64     `json:"offset"`
	Key       string    `json:"key"`
	Value     float64   `json:"value"`
	Timestamp time.Time `json:"ts"`
}

// ErrCorrupt is returned when a line cannot be decoded.
var ErrCorrupt = errors.New("record: corrupt line")

// String renders the record coordinates for logs.
func (r Record) String() string {
	return fmt.Sprintf("%s/%d@%d key=%q", r.Topic, r.Partition, r.Offset, r.Key)
}

// Encode writes r as one JSON line.
func Encode(w io.Writer, r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode %s: %w", r, err)
	}
	b = append(b, '\n')
	_, err = w.Write(b)
	return err
}

// Decode reads the next JSON line from br. It returns io.EOF at the end.
func Decode(br *bufio.Reader) (Record, error) {
	line, err := br.ReadBytes('\n')
	if len(line) == 0 && err != nil {
		return Record{}, err
	}
	var r Record
	if jerr := json.Unmarshal(line, &r); jerr != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrCorrupt, jerr)
	}
	return r, nil
}

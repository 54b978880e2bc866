package archive

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// rowWriter is the common shape of the export encoders.
type rowWriter interface {
	Write(record []string) error
}

// jsonRows writes one JSON array per line.
type jsonRows struct {
	enc *json.Encoder
	n   int
}

func (j *jsonRows) Write(rec []string) error {
	j.n++
	return j.enc.Encode(rec)
}

func newRowWriter(w io.Writer, format string) (rowWriter, error) {
	switch format {
	case "csv":
		return csv.NewWriter(w), nil
	case "tsv":
		cw := csv.NewWriter(w)
		cw.Comma = '\t'
		return cw, nil
	case "jsonl":
		return &jsonRows{enc: json.NewEncoder(w)}, nil
	}
	return nil, fmt.Errorf("archive: unknown format %q", format)
}

func (s *Snapshot) rows() [][]string {
	out := make([][]string, 0, len(s.Records)+1)
	out = append(out, header)
	for _, r := range s.Records {
		out = append(out, []string{r.Digest, strconv.FormatInt(r.Size, 10), strconv.Itoa(r.Hits)})
	}
	return out
}

// EncodeAs writes the snapshot to w as csv, tsv or jsonl.
func (s *Snapshot) EncodeAs(w io.Writer, format string) error {
	rw, err := newRowWriter(w, format)
	if err != nil {
		return err
	}
	switch enc := rw.(type) {
	case *csv.Writer:
		defer enc.Flush() // HAZ defer-close-unchecked-write
	case *jsonRows:
		enc.enc.SetEscapeHTML(false)
	}
	for _, row := range s.rows() {
		if err := rw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// EncodeAsChecked is EncodeAs with the csv writer's buffered error read after
// the final flush and joined into the result.
func (s *Snapshot) EncodeAsChecked(w io.Writer, format string) (err error) {
	rw, err := newRowWriter(w, format)
	if err != nil {
		return err
	}
	switch enc := rw.(type) {
	case *csv.Writer:
		defer func() {
			enc.Flush()
			err = errors.Join(err, enc.Error())
		}()
	case *jsonRows:
		enc.enc.SetEscapeHTML(false)
	}
	for _, row := range s.rows() {
		if err := rw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

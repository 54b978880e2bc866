package sink

import (
	"encoding/csv"
	"errors"
	"os"
	"strconv"

	"example.com/consumer/pipeline"
)

// ExportCSV writes the items' coordinates and raw values as CSV for
// spreadsheet-minded colleagues.
func ExportCSV(path string, items []pipeline.Item) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"topic", "partition", "offset", "value"}); err != nil {
		return err
	}
	for _, it := range items {
		m := it.Msg
		rec := []string{m.Topic, strconv.Itoa(m.Partition), strconv.FormatInt(m.Offset, 10), string(m.Value)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSVChecked is ExportCSV with the CSV flush checked before the file
// is closed.
func ExportCSVChecked(path string, items []pipeline.Item) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	for _, it := range items {
		m := it.Msg
		if err := cw.Write([]string{m.Topic, strconv.Itoa(m.Partition), strconv.FormatInt(m.Offset, 10), string(m.Value)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

package status

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"example.com/fah31/api"
)

// WriteKeys writes one key per line.
func WriteKeys(path string, keys []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, k := range keys {
		if _, err := bw.WriteString(k + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteKeysBuffered is WriteKeys with both errors joined into the result.
func WriteKeysBuffered(path string, keys []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, k := range keys {
		if _, err := bw.WriteString(k + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteKeysChecked flushes explicitly on the success path; the close error
// is joined into the named result.
func WriteKeysChecked(path string, keys []string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, k := range keys {
		if _, err := bw.WriteString(k + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func conditionRows(objs []*api.Object) [][]string {
	var rows [][]string
	for _, o := range objs {
		for _, c := range o.Status.Conditions {
			rows = append(rows, []string{api.KeyOf(o), strconv.FormatInt(o.Generation, 10), c.Type, c.Status, c.Reason})
		}
	}
	return rows
}

// ExportConditions writes all conditions as CSV.
func ExportConditions(path string, objs []*api.Object) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"key", "generation", "type", "status", "reason"}); err != nil {
		return err
	}
	for _, row := range conditionRows(objs) {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return nil
}

// ExportConditionsTo writes CSV to w; WriteAll flushes and reports the
// writer's error itself.
func ExportConditionsTo(w io.Writer, objs []*api.Object) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"key", "generation", "type", "status", "reason"}); err != nil {
		return err
	}
	return cw.WriteAll(conditionRows(objs))
}

// ExportConditionsChecked flushes and checks the CSV writer explicitly.
func ExportConditionsChecked(path string, objs []*api.Object) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	cw.Write([]string{"key", "generation", "type", "status", "reason"})
	for _, row := range conditionRows(objs) {
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// ReadDeltaHeader returns the gzip header of a delta file.
func ReadDeltaHeader(path string) (gzip.Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return gzip.Header{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return gzip.Header{}, fmt.Errorf("%s: %w", path, err)
	}
	return zr.Header, nil
}

// SameContent reports whether two status files have identical bytes.
func SameContent(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	da, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	db, err := io.ReadAll(f)
	if err != nil {
		return false, err
	}
	return bytes.Equal(da, db), nil
}

// SameFiles compares two files through a helper that closes each one.
func SameFiles(a, b string) (bool, error) {
	da, err := readAll(a)
	if err != nil {
		return false, err
	}
	db, err := readAll(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(da, db), nil
}

func readAll(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

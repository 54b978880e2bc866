package csvio

import (
	"fmt"
	"strings"
)

// Transform maps a record; returning a nil record drops it.
type Transform func(Record) (Record, error)

// Chain composes transforms left to right.
func Chain(ts ...Transform) Transform {
	return func(rec Record) (Record, error) {
		var err error
		for _, t := range ts {
			rec, err = t(rec)
			if err != nil || rec == nil {
				return nil, err
			}
		}
		return rec, nil
	}
}

// Rename renames columns according to m (old -> new).
func Rename(m map[string]string) Transform {
	return func(rec Record) (Record, error) {
		out := make(Record, len(rec))
		for k, v := range rec {
			if nk, ok := m[k]; ok {
				k = nk
			}
			out[k] = v
		}
		return out, nil
	}
}

// Require drops nothing but fails records missing any of cols.
func Require(cols ...string) Transform {
	return func(rec Record) (Record, error) {
		for _, c := range cols {
			if strings.TrimSpace(rec[c]) == "" {
				return nil, fmt.Errorf("csvio: missing value for %q", c)
			}
		}
		return rec, nil
	}
}

// TrimSpace trims every value.
func TrimSpace() Transform {
	return func(rec Record) (Record, error) {
		for k, v := range rec {
			rec[k] = strings.TrimSpace(v)
		}
		return rec, nil
	}
}

// Filter keeps records for which keep returns true.
func Filter(keep func(Record) bool) Transform {
	return func(rec Record) (Record, error) {
		if !keep(rec) {
			return nil, nil
		}
		return rec, nil
	}
}

// RowError ties an error to the index of the input record.
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("row %d: %v", e.Row, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

// Apply runs t over recs and collects per-row errors; a panic in t becomes a row error.
func Apply(recs []Record, t Transform) ([]Record, []error) {
	out := make([]Record, 0, len(recs))
	var errs []error
	for i, rec := range recs {
		r, err := applyOne(rec, t)
		if err != nil {
			errs = append(errs, &RowError{Row: i, Err: err})
			continue
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, errs
}

func applyOne(rec Record, t Transform) (out Record, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("csvio: transform panicked: %v", r)
		}
	}()
	return t(rec)
}

// ApplyLenient runs t over recs and keeps whatever succeeds.
func ApplyLenient(recs []Record, t Transform) []Record {
	out := make([]Record, 0, len(recs))
	for _, rec := range recs {
		func() {
			defer func() { _ = recover() }() // HAZ recover-swallows-panic
			if r, err := t(rec); err == nil && r != nil {
				out = append(out, r)
			}
		}()
	}
	return out
}

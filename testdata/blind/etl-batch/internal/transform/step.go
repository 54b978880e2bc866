// Package transform applies record-level steps, sequentially or with
// worker pools, and wires channels together (fan-out, fan-in).
package transform

import (
	"fmt"
	"strings"

	"example.com/etl/internal/record"
)

// Step transforms one record. Returning a nil record drops it.
type Step func(record.Record) (record.Record, error)

// Chain runs steps in order and stops at the first error or drop.
func Chain(steps ...Step) Step {
	return func(r record.Record) (record.Record, error) {
		for _, s := range steps {
			var err error
			if r, err = s(r); err != nil || r == nil {
				return r, err
			}
		}
		return r, nil
	}
}

// Rename moves column from to column to. It panics on empty names, which
// are programming errors in the job definition.
func Rename(from, to string) Step {
	if from == "" || to == "" {
		panic("transform: Rename with an empty column name")
	}
	return func(r record.Record) (record.Record, error) {
		v, ok := r[from]
		if !ok {
			return r, nil
		}
		out := r.Clone()
		delete(out, from)
		out[to] = v
		return out, nil
	}
}

// Require fails records in which any of cols is missing or empty.
func Require(cols ...string) Step {
	return func(r record.Record) (record.Record, error) {
		for _, c := range cols {
			if strings.TrimSpace(r[c]) == "" {
				return nil, fmt.Errorf("transform: required column %q is empty", c)
			}
		}
		return r, nil
	}
}

// TrimSpace trims every value.
func TrimSpace() Step {
	return func(r record.Record) (record.Record, error) {
		out := make(record.Record, len(r))
		for k, v := range r {
			out[k] = strings.TrimSpace(v)
		}
		return out, nil
	}
}

// Filter keeps the records for which keep returns true.
func Filter(keep func(record.Record) bool) Step {
	return func(r record.Record) (record.Record, error) {
		if !keep(r) {
			return nil, nil
		}
		return r, nil
	}
}

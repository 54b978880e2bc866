// Package record defines the row type that flows through the pipeline.
package record

import (
	"fmt"
	"sort"
	"strings"
)

// Record is one row: column name to value. Values stay strings until a
// sink needs a typed representation.
type Record map[string]string

// Schema is an ordered list of column names.
type Schema []string

// Clone returns a copy of r that can be modified independently.
func (r Record) Clone() Record {
	out := make(Record, len(r))
	for k, v := range r {
		out[k] = v
	}
	return out
}

// Key builds a stable identity for r from the given columns.
func (r Record) Key(cols ...string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(r[c])
	}
	return b.String()
}

// Values returns r's values in schema order; missing columns become "".
func (s Schema) Values(r Record) []string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = r[c]
	}
	return out
}

// FromValues builds a record from a row of values in schema order.
func (s Schema) FromValues(vals []string) (Record, error) {
	if len(vals) != len(s) {
		return nil, fmt.Errorf("record: %d values for %d columns", len(vals), len(s))
	}
	r := make(Record, len(s))
	for i, c := range s {
		r[c] = vals[i]
	}
	return r, nil
}

// InferSchema returns the sorted union of the columns of recs.
func InferSchema(recs []Record) Schema {
	seen := make(map[string]struct{})
	for _, r := range recs {
		for k := range r {
			seen[k] = struct{}{}
		}
	}
	s := make(Schema, 0, len(seen))
	for k := range seen {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

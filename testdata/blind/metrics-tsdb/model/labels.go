// Package model defines the data types shared by the head block, the block
// files, the query engine and the ingesters.
package model

import (
	"hash/fnv"
	"sort"
	"strconv"
	"strings"
)

// MetricName is the label that carries the metric name.
const MetricName = "__name__"

// Label is a name/value pair.
type Label struct {
	Name, Value string
}

// Labels is a set of labels sorted by name.
type Labels []Label

var labelSep = []byte{0xff}

// FromStrings builds a sorted label set from name/value pairs.
func FromStrings(kv ...string) Labels {
	if len(kv)%2 != 0 {
		panic("model.FromStrings: odd number of arguments")
	}
	ls := make(Labels, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		ls = append(ls, Label{Name: kv[i], Value: kv[i+1]})
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].Name < ls[j].Name })
	return ls
}

// FromMap builds a sorted label set from a map.
func FromMap(m map[string]string) Labels {
	ls := make(Labels, 0, len(m))
	for name, value := range m {
		ls = append(ls, Label{Name: name, Value: value})
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].Name < ls[j].Name })
	return ls
}

// Get returns the value of the named label, or "".
func (ls Labels) Get(name string) string {
	for _, l := range ls {
		if l.Name == name {
			return l.Value
		}
	}
	return ""
}

// Hash returns a stable 64-bit hash of the label set.
func (ls Labels) Hash() uint64 {
	h := fnv.New64a()
	for _, l := range ls {
		h.Write([]byte(l.Name))
		h.Write(labelSep)
		h.Write([]byte(l.Value))
		h.Write(labelSep)
	}
	return h.Sum64()
}

// Equal reports whether both sets hold the same labels.
func (ls Labels) Equal(o Labels) bool {
	if len(ls) != len(o) {
		return false
	}
	for i := range ls {
		if ls[i] != o[i] {
			return false
		}
	}
	return true
}

// Copy returns a deep copy that does not alias ingestion buffers.
func (ls Labels) Copy() Labels {
	out := make(Labels, len(ls))
	for i, l := range ls {
		out[i] = Label{Name: strings.Clone(l.Name), Value: strings.Clone(l.Value)}
	}
	return out
}

// String renders the set as {a="1", b="2"}.
func (ls Labels) String() string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, l := range ls {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(l.Name)
		sb.WriteByte('=')
		sb.WriteString(strconv.Quote(l.Value))
	}
	sb.WriteByte('}')
	return sb.String()
}

// Sample is one timestamped value. T is in milliseconds since the epoch.
type Sample struct {
	T int64
	V float64
}

// Series is a label set with its samples in time order.
type Series struct {
	Labels  Labels
	Samples []Sample
}

// Package querylog records every answered query to size-rotated files.
package querylog

import (
	"strconv"
	"time"
)

// Entry is one logged query.
type Entry struct {
	Time     time.Time
	Client   string
	Proto    string
	Name     string
	Type     uint16
	Rcode    int
	Duration time.Duration
	Cached   bool
	Blocked  bool
}

// AppendTo appends e as one tab-separated line.
func (e Entry) AppendTo(b []byte) []byte {
	b = e.Time.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, '\t')
	b = append(b, e.Client...)
	b = append(b, '\t')
	b = append(b, e.Proto...)
	b = append(b, '\t')
	b = append(b, e.Name...)
	b = append(b, '\t')
	b = strconv.AppendUint(b, uint64(e.Type), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(e.Rcode), 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, e.Duration.Microseconds(), 10)
	b = append(b, "us\t"...)
	switch {
	case e.Blocked:
		b = append(b, "blocked"...)
	case e.Cached:
		b = append(b, "cached"...)
	default:
		b = append(b, "forwarded"...)
	}
	return append(b, '\n')
}

func (e Entry) String() string { return string(e.AppendTo(nil)) }

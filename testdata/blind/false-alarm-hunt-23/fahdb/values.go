package fahdb

import (
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"example.com/fah23/internal/wire"
)

// encodeArgs renders the query and its arguments as wire fields. encodeValue
// panics on types the driver cannot send; that panic becomes the error.
func encodeArgs(query string, args []driver.NamedValue) (fields []string, err error) {
	defer recoverInto(&err)
	fields = make([]string, 0, len(args)+1)
	fields = append(fields, query)
	for _, a := range args {
		fields = append(fields, encodeValue(a.Value))
	}
	return fields, nil
}

// recoverInto converts a panic into an error. Defer it directly:
// defer recoverInto(&err).
func recoverInto(errp *error) {
	if p := recover(); p != nil {
		*errp = fmt.Errorf("fahdb: internal error: %v", p)
	}
}

func encodeValue(v driver.Value) string {
	switch v := v.(type) {
	case nil:
		return "n:"
	case int64:
		return "i:" + strconv.FormatInt(v, 10)
	case float64:
		return "f:" + strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		return "b:" + strconv.FormatBool(v)
	case []byte:
		return "x:" + hex.EncodeToString(v)
	case string:
		return "s:" + v
	case time.Time:
		return "t:" + v.UTC().Format(time.RFC3339Nano)
	}
	panic(fmt.Sprintf("unsupported argument type %T", v))
}

var errBadTag = errors.New("unknown value tag")

// decodeValue parses one "tag:body" field. The tag is read without a length
// check; Rows.Next is expected to turn the resulting panic into an error.
func decodeValue(s string) (driver.Value, error) {
	tag, body := s[0], s[2:]
	switch tag {
	case 'n':
		return nil, nil
	case 'i':
		return strconv.ParseInt(body, 10, 64)
	case 'f':
		return strconv.ParseFloat(body, 64)
	case 'b':
		return strconv.ParseBool(body)
	case 'x':
		return hex.DecodeString(body)
	case 's':
		return body, nil
	case 't':
		return time.Parse(time.RFC3339Nano, body)
	}
	return nil, fmt.Errorf("%w %q", errBadTag, tag)
}

type result struct {
	lastID   int64
	affected int64
}

func (r result) LastInsertId() (int64, error) { return r.lastID, nil }
func (r result) RowsAffected() (int64, error) { return r.affected, nil }

func parseResult(resp []wire.Frame) (driver.Result, error) {
	for _, f := range resp {
		if f.Kind != wire.KindResult || len(f.Fields) != 2 {
			continue
		}
		id, err1 := strconv.ParseInt(f.Fields[0], 10, 64)
		n, err2 := strconv.ParseInt(f.Fields[1], 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			return nil, fmt.Errorf("fahdb: bad result frame: %w", err)
		}
		return result{lastID: id, affected: n}, nil
	}
	return driver.RowsAffected(0), nil
}

package tsdb

import (
	"encoding/binary"
	"errors"
	"math"

	"example.com/tsdb/model"
)

var errShortRecord = errors.New("tsdb: short WAL record")

// encodeSample encodes one sample as a WAL record.
func encodeSample(dst []byte, lset model.Labels, t int64, v float64) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(lset)))
	for _, l := range lset {
		dst = binary.AppendUvarint(dst, uint64(len(l.Name)))
		dst = append(dst, l.Name...)
		dst = binary.AppendUvarint(dst, uint64(len(l.Value)))
		dst = append(dst, l.Value...)
	}
	dst = binary.AppendVarint(dst, t)
	return binary.BigEndian.AppendUint64(dst, math.Float64bits(v))
}

// decodeSample decodes a record written by encodeSample.
func decodeSample(rec []byte) (model.Labels, int64, float64, error) {
	n, k := binary.Uvarint(rec)
	if k <= 0 {
		return nil, 0, 0, errShortRecord
	}
	rec = rec[k:]
	lset := make(model.Labels, 0, n)
	for i := uint64(0); i < n; i++ {
		name, rest, err := readBytes(rec)
		if err != nil {
			return nil, 0, 0, err
		}
		value, rest, err := readBytes(rest)
		if err != nil {
			return nil, 0, 0, err
		}
		lset = append(lset, model.Label{Name: string(name), Value: string(value)})
		rec = rest
	}
	t, k := binary.Varint(rec)
	if k <= 0 || len(rec[k:]) < 8 {
		return nil, 0, 0, errShortRecord
	}
	v := math.Float64frombits(binary.BigEndian.Uint64(rec[k:]))
	return lset, t, v, nil
}

func readBytes(b []byte) ([]byte, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, errShortRecord
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}

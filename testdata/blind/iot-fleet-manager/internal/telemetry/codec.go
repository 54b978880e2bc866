package telemetry

import (
	"encoding/binary"
	"errors"
	"math"
	"time"
)

var errTruncated = errors.New("telemetry: truncated payload")

// DecodeSamples parses a telemetry frame payload: a uint16 count followed
// by records of name length (1 byte), name, float64 value and int64 unix
// milliseconds.
func DecodeSamples(deviceID string, p []byte) ([]Sample, error) {
	if len(p) < 2 {
		return nil, errTruncated
	}
	n := int(binary.BigEndian.Uint16(p))
	p = p[2:]
	out := make([]Sample, 0, n)
	for i := 0; i < n; i++ {
		if len(p) < 1 {
			return nil, errTruncated
		}
		l := int(p[0])
		if len(p) < 1+l+16 {
			return nil, errTruncated
		}
		s := Sample{
			DeviceID: deviceID,
			Metric:   string(p[1 : 1+l]),
			Value:    math.Float64frombits(binary.BigEndian.Uint64(p[1+l:])),
			At:       time.UnixMilli(int64(binary.BigEndian.Uint64(p[9+l:]))),
		}
		out = append(out, s)
		p = p[17+l:]
	}
	return out, nil
}

// EncodeSamples is the inverse of DecodeSamples; device IDs are not encoded.
func EncodeSamples(samples []Sample) []byte {
	b := binary.BigEndian.AppendUint16(nil, uint16(len(samples)))
	for _, s := range samples {
		name := s.Metric
		if len(name) > 255 {
			name = name[:255]
		}
		b = append(b, byte(len(name)))
		b = append(b, name...)
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(s.Value))
		b = binary.BigEndian.AppendUint64(b, uint64(s.At.UnixMilli()))
	}
	return b
}

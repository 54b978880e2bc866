package block

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"

	"example.com/tsdb/model"
)

type chunkEncoder struct {
	w   io.Writer
	buf []byte
}

func newChunkEncoder(w io.Writer) *chunkEncoder {
	return &chunkEncoder{w: w, buf: make([]byte, 0, 4096)}
}

// encodeSeries writes one series: labels, sample count, then delta-encoded
// timestamps and raw float bits.
func (e *chunkEncoder) encodeSeries(s model.Series) error {
	b := e.buf[:0]
	b = binary.AppendUvarint(b, uint64(len(s.Labels)))
	for _, l := range s.Labels {
		b = binary.AppendUvarint(b, uint64(len(l.Name)))
		b = append(b, l.Name...)
		b = binary.AppendUvarint(b, uint64(len(l.Value)))
		b = append(b, l.Value...)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Samples)))
	var prev int64
	for _, smp := range s.Samples {
		b = binary.AppendVarint(b, smp.T-prev)
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(smp.V))
		prev = smp.T
	}
	e.buf = b
	_, err := e.w.Write(b)
	return err
}

// decodeChunks reads series until the end of r.
func decodeChunks(r io.Reader) ([]model.Series, error) {
	br := bufio.NewReader(r)
	var out []model.Series
	for {
		n, err := binary.ReadUvarint(br)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		lset := make(model.Labels, n)
		for i := range lset {
			name, err := readString(br)
			if err != nil {
				return nil, err
			}
			value, err := readString(br)
			if err != nil {
				return nil, err
			}
			lset[i] = model.Label{Name: name, Value: value}
		}
		cnt, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("series %s: %w", lset, err)
		}
		samples := make([]model.Sample, cnt)
		var t int64
		var bits [8]byte
		for i := range samples {
			d, err := binary.ReadVarint(br)
			if err != nil {
				return nil, fmt.Errorf("series %s: %w", lset, err)
			}
			if _, err := io.ReadFull(br, bits[:]); err != nil {
				return nil, fmt.Errorf("series %s: %w", lset, err)
			}
			t += d
			samples[i] = model.Sample{T: t, V: math.Float64frombits(binary.BigEndian.Uint64(bits[:]))}
		}
		out = append(out, model.Series{Labels: lset, Samples: samples})
	}
}

func readString(br *bufio.Reader) (string, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return "", err
	}
	if n > 1<<16 {
		return "", fmt.Errorf("label of %d bytes", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(br, b); err != nil {
		return "", err
	}
	return string(b), nil
}

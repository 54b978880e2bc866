package udpsrv

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteSnapshot writes one line per session, for operators.
func WriteSnapshot(path string, sessions []SessionInfo) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, si := range sessions {
		if _, err := fmt.Fprintf(f, "%d\t%s\t%s\t%d\t%d\n",
			si.ID, si.Addr, si.RTT, si.Packets, si.Bytes); err != nil {
			return err
		}
	}
	return nil
}

// WriteCheckpoint stores sessions as JSON lines so a restarted server can
// restore them.
func WriteCheckpoint(path string, sessions []SessionInfo) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, si := range sessions {
		if err := enc.Encode(si); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadCheckpoint loads what WriteCheckpoint stored.
func ReadCheckpoint(path string) ([]SessionInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only

	var out []SessionInfo
	dec := json.NewDecoder(f)
	for {
		var si SessionInfo
		if err := dec.Decode(&si); err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
		out = append(out, si)
	}
}

func writeRecord(w io.Writer, rec []byte) error {
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(rec)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	_, err := w.Write(rec)
	return err
}

// ExportCapture writes raw datagrams as a gzip-compressed,
// length-prefixed stream.
func ExportCapture(path string, datagrams [][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted

	for _, d := range datagrams {
		if err := writeRecord(zw, d); err != nil {
			return err
		}
	}
	return nil
}

// ExportSessions writes a gzip-compressed JSON array of sessions.
func ExportSessions(path string, sessions []SessionInfo) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs first, flushing into the still-open file

	return json.NewEncoder(zw).Encode(sessions)
}

// LoadCapture reads a capture written by ExportCapture.
func LoadCapture(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()

	var out [][]byte
	var hdr [4]byte
	for {
		if _, err := io.ReadFull(zr, hdr[:]); err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
		rec := make([]byte, binary.BigEndian.Uint32(hdr[:]))
		if _, err := io.ReadFull(zr, rec); err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// AppendEvent appends one line to an audit log.
func AppendEvent(path, line string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: only for the early return; the success path checks Close below
	if _, err := f.WriteString(line + "\n"); err != nil {
		return err
	}
	return f.Close()
}

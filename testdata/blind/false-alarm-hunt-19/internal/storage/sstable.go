package storage

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"
)

var errCorrupt = errors.New("storage: corrupt table")

// Entry is one key/value pair.
type Entry struct {
	Key   []byte
	Value []byte
}

// WriteTable writes entries, which must be sorted by key, to path as a
// length-prefixed table followed by a CRC-32 of everything before it.
func WriteTable(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	bw := bufio.NewWriter(f)
	h := crc32.NewIEEE()
	w := io.MultiWriter(bw, h)
	for _, e := range entries {
		if err := writeEntry(w, e); err != nil {
			return err
		}
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], h.Sum32())
	if _, err := bw.Write(sum[:]); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

func writeEntry(w io.Writer, e Entry) error {
	var hdr [8]byte
	binary.LittleEndian.PutUint32(hdr[:4], uint32(len(e.Key)))
	binary.LittleEndian.PutUint32(hdr[4:], uint32(len(e.Value)))
	for _, b := range [][]byte{hdr[:], e.Key, e.Value} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// ReadTable reads and verifies a table written by WriteTable.
func ReadTable(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	entries, err := decodeTable(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}

func decodeTable(data []byte) ([]Entry, error) {
	if len(data) < 4 {
		return nil, errCorrupt
	}
	body := data[:len(data)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, errCorrupt
	}
	var out []Entry
	for len(body) > 0 {
		if len(body) < 8 {
			return nil, errCorrupt
		}
		kl := int(binary.LittleEndian.Uint32(body[:4]))
		vl := int(binary.LittleEndian.Uint32(body[4:8]))
		body = body[8:]
		if len(body) < kl+vl {
			return nil, errCorrupt
		}
		out = append(out, Entry{Key: body[:kl:kl], Value: body[kl : kl+vl : kl+vl]})
		body = body[kl+vl:]
	}
	return out, nil
}

// VerifyTables checks the checksum of every table. Each file is verified by
// verifyTable, so it is closed before the next one is opened.
func VerifyTables(paths []string) error {
	var errs []error
	for _, p := range paths {
		if err := verifyTable(p); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p, err))
		}
	}
	return errors.Join(errs...)
}

// VerifyParallel is VerifyTables with one goroutine per table, for tools
// running on machines with fast disks.
func VerifyParallel(paths []string) error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := os.Stat(p)
			if err != nil {
				errs[i] = err
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if st.Size() == 0 {
				errs[i] = fmt.Errorf("%s: empty table", p)
				return
			}
			if err := verifyTable(p); err != nil {
				errs[i] = fmt.Errorf("%s: %w", p, err)
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func verifyTable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() < 4 {
		return errCorrupt
	}
	h := crc32.NewIEEE()
	if _, err := io.CopyN(h, f, st.Size()-4); err != nil {
		return err
	}
	var sum [4]byte
	if _, err := io.ReadFull(f, sum[:]); err != nil {
		return err
	}
	if h.Sum32() != binary.LittleEndian.Uint32(sum[:]) {
		return errCorrupt
	}
	return nil
}

package cache

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

const maxRecord = 64 << 10

// SaveSnapshot writes the fresh entries to path so a restart does not begin
// with a cold cache.
func (c *Cache) SaveSnapshot(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	defer c.Freeze()()
	now := c.now()
	for k, e := range c.items {
		if e.expired(now) {
			continue
		}
		if err := writeRecord(w, k, e.expires.Sub(now), e.msg); err != nil {
			return err
		}
	}
	return w.Flush()
}

func writeRecord(w io.Writer, key string, ttl time.Duration, msg []byte) error {
	var hdr [10]byte
	binary.BigEndian.PutUint16(hdr[0:], uint16(len(key)))
	binary.BigEndian.PutUint32(hdr[2:], uint32(ttl/time.Second))
	binary.BigEndian.PutUint32(hdr[6:], uint32(len(msg)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := io.WriteString(w, key); err != nil {
		return err
	}
	_, err := w.Write(msg)
	return err
}

func readRecord(r io.Reader) (Record, error) {
	var hdr [10]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return Record{}, err
	}
	klen := int(binary.BigEndian.Uint16(hdr[0:]))
	ttl := time.Duration(binary.BigEndian.Uint32(hdr[2:])) * time.Second
	mlen := int(binary.BigEndian.Uint32(hdr[6:]))
	if mlen > maxRecord {
		return Record{}, fmt.Errorf("cache: snapshot record of %d bytes", mlen)
	}
	buf := make([]byte, klen+mlen)
	if _, err := io.ReadFull(r, buf); err != nil {
		return Record{}, io.ErrUnexpectedEOF
	}
	return Record{Key: string(buf[:klen]), Msg: buf[klen:], TTL: ttl}, nil
}

// LoadSnapshot reads a file written by SaveSnapshot.
func (c *Cache) LoadSnapshot(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var recs []Record
	for {
		rec, err := readRecord(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("cache: %s: %w", path, err)
		}
		recs = append(recs, rec)
	}
	c.mu.Lock()
	now := c.now()
	for _, rec := range recs {
		c.items[rec.Key] = entry{msg: rec.Msg, expires: now.Add(rec.TTL)}
	}
	c.mu.Unlock()
	return len(recs), nil
}

// DumpText writes a human-readable listing of the cache for debugging.
func (c *Cache) DumpText(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := bufio.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	now := c.now()
	for k, e := range c.entries() {
		left := e.expires.Sub(now).Round(time.Second)
		if _, err := fmt.Fprintf(w, "%s\t%s\t%d bytes\n", k, left, len(e.msg)); err != nil {
			return err
		}
	}
	return nil
}

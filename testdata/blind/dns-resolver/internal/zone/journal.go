package zone

import (
	"bufio"
	"compress/gzip"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"

	"example.com/dnsresolver/internal/dnsmsg"
)

// Op is a journal operation.
type Op byte

// Journal operations.
const (
	OpAdd    Op = '+'
	OpDelete Op = '-'
)

// Entry is one change recorded in a zone's journal.
type Entry struct {
	Serial uint32
	Op     Op
	RR     dnsmsg.RR
}

// Journal is an append-only log of dynamic updates to one zone. Entries are
// replayed on top of the zone file at startup until the next write-back.
type Journal struct {
	path string
	mu   sync.Mutex
}

// OpenJournal returns the journal stored at path. The file is created on the
// first append.
func OpenJournal(path string) *Journal {
	return &Journal{path: path}
}

// Path returns the journal's file name.
func (j *Journal) Path() string { return j.path }

func encodeEntry(e Entry) string {
	return fmt.Sprintf("%d %c %s %d %d %s", e.Serial, e.Op, e.RR.Name, e.RR.TTL, uint16(e.RR.Type), hex.EncodeToString(e.RR.Data))
}

func decodeEntry(line string) (Entry, error) {
	f := strings.Fields(line)
	if len(f) < 5 || len(f[1]) != 1 {
		return Entry{}, fmt.Errorf("journal: malformed entry %q", line)
	}
	serial, err := strconv.ParseUint(f[0], 10, 32)
	if err != nil {
		return Entry{}, fmt.Errorf("journal: serial: %w", err)
	}
	ttl, err := strconv.ParseUint(f[3], 10, 32)
	if err != nil {
		return Entry{}, fmt.Errorf("journal: ttl: %w", err)
	}
	typ, err := strconv.ParseUint(f[4], 10, 16)
	if err != nil {
		return Entry{}, fmt.Errorf("journal: type: %w", err)
	}
	e := Entry{
		Serial: uint32(serial),
		Op:     Op(f[1][0]),
		RR:     dnsmsg.RR{Name: f[2], Type: dnsmsg.Type(typ), Class: dnsmsg.ClassINET, TTL: uint32(ttl)},
	}
	if len(f) > 5 {
		if e.RR.Data, err = hex.DecodeString(f[5]); err != nil {
			return Entry{}, fmt.Errorf("journal: rdata: %w", err)
		}
	}
	return e, nil
}

// Append records one entry.
func (j *Journal) Append(e Entry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.WriteString(encodeEntry(e) + "\n")
	return err
}

// AppendBatch records the entries of one update and syncs them to disk
// before the update is acknowledged.
func (j *Journal) AppendBatch(entries []Entry) (err error) {
	if len(entries) == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.OpenFile(j.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	for _, e := range entries {
		if _, err := w.WriteString(encodeEntry(e) + "\n"); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// Entries returns the entries with a serial above after.
func (j *Journal) Entries(after uint32) ([]Entry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f, err := os.Open(j.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		e, err := decodeEntry(sc.Text())
		if err != nil {
			return nil, err
		}
		if e.Serial > after {
			out = append(out, e)
		}
	}
	return out, sc.Err()
}

// Archive writes the entries up to and including serial upTo to a gzip file
// at dst, so that they can be dropped from the live journal.
func (j *Journal) Archive(dst string, upTo uint32) (n int, err error) {
	entries, err := j.Entries(0)
	if err != nil {
		return 0, err
	}
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o640)
	if err != nil {
		return 0, err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, e := range entries {
		if e.Serial > upTo {
			break
		}
		if _, err := io.WriteString(zw, encodeEntry(e)+"\n"); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Compact archives the entries already contained in the zone file written at
// serial and rewrites the journal with the rest.
func (j *Journal) Compact(archive string, serial uint32) error {
	if _, err := j.Archive(archive, serial); err != nil {
		return fmt.Errorf("journal: archive: %w", err)
	}
	rest, err := j.Entries(serial)
	if err != nil {
		return err
	}
	var sb strings.Builder
	for _, e := range rest {
		sb.WriteString(encodeEntry(e))
		sb.WriteByte('\n')
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return writeFileAtomic(j.path, []byte(sb.String()), 0o640)
}

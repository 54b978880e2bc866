// Package warc writes and reads a WARC-like archive: every record is a
// "WARC/1.0" header block, a blank line, the payload and a CRLF CRLF trailer.
// Segments are rotated by size and may be gzip-compressed once finished.
package warc

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const version = "WARC/1.0"

// Record is one archived item.
type Record struct {
	Type        string
	ID          string
	Date        time.Time
	TargetURI   string
	ContentType string
	Payload     []byte
}

// NewResponse builds a "response" record holding the HTTP status line,
// headers and body of a fetched page.
func NewResponse(target string, fetched time.Time, status int, header http.Header, body []byte) *Record {
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	header.Write(&b)
	b.WriteString("\r\n")
	b.Write(body)
	return &Record{
		Type:        "response",
		ID:          newID(),
		Date:        fetched.UTC(),
		TargetURI:   target,
		ContentType: "application/http; msgtype=response",
		Payload:     b.Bytes(),
	}
}

// newID returns a random urn:uuid record id.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("<urn:uuid:%x-%x-%x-%x-%x>", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// header renders the header block including the blank line.
func (r *Record) header() string {
	var b strings.Builder
	b.WriteString(version + "\r\n")
	fmt.Fprintf(&b, "WARC-Type: %s\r\n", r.Type)
	fmt.Fprintf(&b, "WARC-Record-ID: %s\r\n", r.ID)
	fmt.Fprintf(&b, "WARC-Date: %s\r\n", r.Date.Format(time.RFC3339))
	if r.TargetURI != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", r.TargetURI)
	}
	if r.ContentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", r.ContentType)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(r.Payload))
	return b.String()
}

// WriteTo writes the record.
func (r *Record) WriteTo(w io.Writer) (int64, error) {
	n, err := io.WriteString(w, r.header())
	total := int64(n)
	if err != nil {
		return total, err
	}
	n, err = w.Write(r.Payload)
	total += int64(n)
	if err != nil {
		return total, err
	}
	n, err = io.WriteString(w, "\r\n\r\n")
	total += int64(n)
	return total, err
}

func (r *Record) approxSize() int64 {
	return int64(len(r.Payload)) + 512
}

// ReadRecord reads the next record and the number of bytes it took. It
// returns io.EOF at a clean end of input.
func ReadRecord(br *bufio.Reader) (*Record, int64, error) {
	var (
		rec    Record
		n      int64
		length = -1
	)
	line, err := br.ReadString('\n')
	n += int64(len(line))
	if err != nil {
		if err == io.EOF && line == "" {
			return nil, n, io.EOF
		}
		return nil, n, fmt.Errorf("warc: reading version line: %w", err)
	}
	if strings.TrimRight(line, "\r\n") != version {
		return nil, n, fmt.Errorf("warc: bad version line %q", line)
	}
	for {
		line, err = br.ReadString('\n')
		n += int64(len(line))
		if err != nil {
			return nil, n, fmt.Errorf("warc: reading header: %w", io.ErrUnexpectedEOF)
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, n, fmt.Errorf("warc: bad header line %q", line)
		}
		v = strings.TrimSpace(v)
		switch strings.ToLower(k) {
		case "warc-type":
			rec.Type = v
		case "warc-record-id":
			rec.ID = v
		case "warc-target-uri":
			rec.TargetURI = v
		case "content-type":
			rec.ContentType = v
		case "warc-date":
			rec.Date, _ = time.Parse(time.RFC3339, v)
		case "content-length":
			length, err = strconv.Atoi(v)
			if err != nil || length < 0 {
				return nil, n, fmt.Errorf("warc: bad Content-Length %q", v)
			}
		}
	}
	if length < 0 {
		return nil, n, errors.New("warc: missing Content-Length")
	}
	rec.Payload = make([]byte, length)
	m, err := io.ReadFull(br, rec.Payload)
	n += int64(m)
	if err != nil {
		return nil, n, fmt.Errorf("warc: reading payload: %w", err)
	}
	var trailer [4]byte
	m, err = io.ReadFull(br, trailer[:])
	n += int64(m)
	if err != nil || string(trailer[:]) != "\r\n\r\n" {
		return nil, n, errors.New("warc: missing record trailer")
	}
	return &rec, n, nil
}

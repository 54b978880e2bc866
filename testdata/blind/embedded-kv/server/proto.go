package server

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The wire protocol is a subset of RESP: requests are arrays of bulk
// strings (or inline commands for telnet users), replies are simple
// strings, errors, integers, bulk strings and arrays.

const (
	maxBulkLen = 1 << 20
	maxArgs    = 1024
	maxLineLen = 64 << 10
)

var errProtocol = errors.New("protocol error")

type request struct {
	cmd  string
	args [][]byte
}

func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		return nil, fmt.Errorf("%w: line longer than %d bytes", errProtocol, r.Size())
	}
	if err != nil {
		return nil, err
	}
	line = bytes.TrimSuffix(line[:len(line)-1], []byte{'\r'})
	return append([]byte(nil), line...), nil
}

func readBulk(r *bufio.Reader) ([]byte, error) {
	line, err := readLine(r)
	if err != nil {
		return nil, err
	}
	if len(line) == 0 || line[0] != '$' {
		return nil, fmt.Errorf("%w: expected bulk string, got %q", errProtocol, line)
	}
	n, err := strconv.Atoi(string(line[1:]))
	if err != nil || n < 0 || n > maxBulkLen {
		return nil, fmt.Errorf("%w: bad bulk length %q", errProtocol, line)
	}
	buf := make([]byte, n+2)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	if buf[n] != '\r' || buf[n+1] != '\n' {
		return nil, fmt.Errorf("%w: bulk string not terminated by CRLF", errProtocol)
	}
	return buf[:n], nil
}

func readRequest(r *bufio.Reader) (request, error) {
	line, err := readLine(r)
	if err != nil {
		return request{}, err
	}
	if len(line) == 0 || line[0] != '*' {
		fields := bytes.Fields(line)
		if len(fields) == 0 {
			return request{}, fmt.Errorf("%w: empty command", errProtocol)
		}
		return request{cmd: strings.ToUpper(string(fields[0])), args: fields[1:]}, nil
	}
	n, err := strconv.Atoi(string(line[1:]))
	if err != nil || n < 1 || n > maxArgs {
		return request{}, fmt.Errorf("%w: bad array length %q", errProtocol, line)
	}
	parts := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		b, err := readBulk(r)
		if err != nil {
			return request{}, err
		}
		parts = append(parts, b)
	}
	return request{cmd: strings.ToUpper(string(parts[0])), args: parts[1:]}, nil
}

// reply is anything the server can send back.
type reply interface {
	encode(w *bufio.Writer) error
}

type simpleReply string

func (r simpleReply) encode(w *bufio.Writer) error {
	_, err := fmt.Fprintf(w, "+%s\r\n", string(r))
	return err
}

type errReply string

func (r errReply) encode(w *bufio.Writer) error {
	_, err := fmt.Fprintf(w, "-%s\r\n", string(r))
	return err
}

type intReply int64

func (r intReply) encode(w *bufio.Writer) error {
	_, err := fmt.Fprintf(w, ":%d\r\n", int64(r))
	return err
}

type bulkReply []byte

func (r bulkReply) encode(w *bufio.Writer) error {
	if r == nil {
		_, err := w.WriteString("$-1\r\n")
		return err
	}
	if _, err := fmt.Fprintf(w, "$%d\r\n", len(r)); err != nil {
		return err
	}
	if _, err := w.Write(r); err != nil {
		return err
	}
	_, err := w.WriteString("\r\n")
	return err
}

type arrayReply []reply

func (r arrayReply) encode(w *bufio.Writer) error {
	if _, err := fmt.Fprintf(w, "*%d\r\n", len(r)); err != nil {
		return err
	}
	for _, e := range r {
		if err := e.encode(w); err != nil {
			return err
		}
	}
	return nil
}

var okReply = simpleReply("OK")

func errorf(format string, args ...interface{}) reply {
	msg := fmt.Sprintf(format, args...)
	return errReply(strings.ReplaceAll(msg, "\r\n", " "))
}

func arityErr(cmd string) reply {
	return errorf("ERR wrong number of arguments for '%s'", strings.ToLower(cmd))
}

// writeBulkPair writes one key/value record of a DUMP stream.
func writeBulkPair(w *bufio.Writer, k, v []byte) error {
	if err := bulkReply(k).encode(w); err != nil {
		return err
	}
	return bulkReply(v).encode(w)
}

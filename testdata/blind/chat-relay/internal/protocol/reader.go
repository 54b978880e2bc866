package protocol

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// Reader reads protocol lines with a hard limit on line length, so that a
// client cannot make the relay buffer an unbounded line.
type Reader struct {
	br  *bufio.Reader
	max int
}

// NewReader returns a Reader that rejects lines longer than max bytes.
func NewReader(r io.Reader, max int) *Reader {
	if max <= 0 {
		max = 512
	}
	return &Reader{br: bufio.NewReaderSize(r, max+2), max: max}
}

// ReadLine returns the next line without its terminator. An over-long line
// is consumed up to its newline and reported as ErrLineTooLong, so the
// stream stays in sync and the caller may go on reading.
func (r *Reader) ReadLine() (string, error) {
	line, err := r.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		for errors.Is(err, bufio.ErrBufferFull) {
			_, err = r.br.ReadSlice('\n')
		}
		if err != nil {
			return "", err
		}
		return "", ErrLineTooLong
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			return strings.TrimRight(string(line), "\r\n"), nil
		}
		return "", err
	}
	s := strings.TrimRight(string(line), "\r\n")
	if len(s) > r.max {
		return "", ErrLineTooLong
	}
	return s, nil
}

// ReadCommand reads and parses the next line.
func (r *Reader) ReadCommand() (Command, error) {
	line, err := r.ReadLine()
	if err != nil {
		return Command{}, err
	}
	return Parse(line)
}

// WriteLine writes line followed by CRLF.
func WriteLine(w io.Writer, line string) error {
	_, err := io.WriteString(w, line+"\r\n")
	return err
}

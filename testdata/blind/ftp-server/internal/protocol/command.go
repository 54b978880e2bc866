// Package protocol implements the line-oriented control protocol shared by
// the server and the client: command parsing, reply formatting and a
// control connection whose writes are serialised.
package protocol

import (
	"errors"
	"fmt"
	"strings"
)

// MaxLineLength bounds a single control line, CRLF included.
const MaxLineLength = 4096

var (
	// ErrEmptyCommand is returned for blank control lines.
	ErrEmptyCommand = errors.New("protocol: empty command")
	// ErrLineTooLong is returned when a control line exceeds MaxLineLength.
	ErrLineTooLong = errors.New("protocol: line too long")
)

// Command is a parsed control line: a verb and its (possibly empty) argument.
type Command struct {
	Verb string
	Arg  string
}

// ParseCommand splits a raw control line into verb and argument. The verb
// is upper-cased; the argument keeps its case and inner spaces, since file
// names may legitimately contain them.
func ParseCommand(line string) (Command, error) {
	line = strings.TrimRight(line, "\r\n")
	if len(line) > MaxLineLength {
		return Command{}, ErrLineTooLong
	}
	line = strings.TrimLeft(line, " ")
	if line == "" {
		return Command{}, ErrEmptyCommand
	}
	verb, arg, _ := strings.Cut(line, " ")
	if len(verb) > 4 {
		return Command{}, fmt.Errorf("protocol: verb %q too long", verb)
	}
	for _, r := range verb {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return Command{}, fmt.Errorf("protocol: bad verb %q", verb)
		}
	}
	return Command{Verb: strings.ToUpper(verb), Arg: arg}, nil
}

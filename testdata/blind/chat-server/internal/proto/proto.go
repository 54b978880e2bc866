// Package proto implements the chatd line protocol.
//
// Client to server, one command per line:
//
//	NICK <name>
//	JOIN <#room>
//	PART
//	MSG <text...>
//	TYPING
//	HISTORY [n]
//	PING <token>
//	QUIT [reason]
//
// Server to client lines are produced by the Format helpers and Message.Encode.
package proto

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Kind is the verb of a client command.
type Kind int

// Command kinds.
const (
	KindNick Kind = iota + 1
	KindJoin
	KindPart
	KindMsg
	KindTyping
	KindHistory
	KindPing
	KindQuit
)

var kindNames = map[string]Kind{
	"NICK":    KindNick,
	"JOIN":    KindJoin,
	"PART":    KindPart,
	"MSG":     KindMsg,
	"TYPING":  KindTyping,
	"HISTORY": KindHistory,
	"PING":    KindPing,
	"QUIT":    KindQuit,
}

func (k Kind) String() string {
	for name, v := range kindNames {
		if v == k {
			return name
		}
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Limits of the protocol.
const (
	MaxLineBytes   = 4096
	MaxNickLen     = 24
	DefaultHistory = 20
)

// Protocol errors.
var (
	ErrEmptyLine       = errors.New("proto: empty line")
	ErrUnknownCommand  = errors.New("proto: unknown command")
	ErrMissingArgument = errors.New("proto: missing argument")
	ErrBadRoom         = errors.New("proto: room names start with #")
	ErrBadNick         = errors.New("proto: invalid nick")
	ErrBadMessage      = errors.New("proto: malformed message line")
)

// Command is one parsed client line.
type Command struct {
	Kind Kind
	Arg  string
}

// Parse parses one client line (with or without the trailing CRLF).
func Parse(line string) (Command, error) {
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) == "" {
		return Command{}, ErrEmptyLine
	}
	verb, rest, _ := strings.Cut(line, " ")
	kind, ok := kindNames[strings.ToUpper(verb)]
	if !ok {
		return Command{}, fmt.Errorf("%w: %q", ErrUnknownCommand, verb)
	}
	cmd := Command{Kind: kind, Arg: strings.TrimSpace(rest)}
	switch kind {
	case KindNick:
		if err := ValidNick(cmd.Arg); err != nil {
			return Command{}, err
		}
	case KindJoin:
		if len(cmd.Arg) < 2 || cmd.Arg[0] != '#' || strings.ContainsAny(cmd.Arg, " ,") {
			return Command{}, ErrBadRoom
		}
	case KindMsg, KindPing:
		if cmd.Arg == "" {
			return Command{}, fmt.Errorf("%w for %s", ErrMissingArgument, kind)
		}
	case KindHistory:
		if cmd.Arg != "" {
			if _, err := strconv.Atoi(cmd.Arg); err != nil {
				return Command{}, fmt.Errorf("proto: HISTORY wants a count: %w", err)
			}
		}
	}
	return cmd, nil
}

// ValidNick reports whether n is an acceptable nickname.
func ValidNick(n string) error {
	if n == "" || len(n) > MaxNickLen {
		return fmt.Errorf("%w: length must be 1..%d", ErrBadNick, MaxNickLen)
	}
	for i, r := range n {
		switch {
		case unicode.IsLetter(r), r == '_', r == '-':
		case unicode.IsDigit(r) && i > 0:
		default:
			return fmt.Errorf("%w: %q not allowed", ErrBadNick, r)
		}
	}
	return nil
}

// HistoryCount returns the requested history length, clamped to [1, max].
func (c Command) HistoryCount(max int) int {
	n := DefaultHistory
	if c.Arg != "" {
		if v, err := strconv.Atoi(c.Arg); err == nil {
			n = v
		}
	}
	if n < 1 {
		n = 1
	}
	if n > max {
		n = max
	}
	return n
}

// Message is one chat message as stored in history and sent to clients.
type Message struct {
	ID   uint64
	Room string
	From string
	Text string
	At   time.Time
}

// Encode renders m as a server line: MSG <room> <from> <unix-millis> <text>.
func (m Message) Encode() string {
	return fmt.Sprintf("MSG %s %s %d %s", m.Room, m.From, m.At.UnixMilli(), m.Text)
}

// DecodeMessage parses a line produced by Encode.
func DecodeMessage(line string) (Message, error) {
	fields := strings.SplitN(strings.TrimRight(line, "\r\n"), " ", 5)
	if len(fields) != 5 || fields[0] != "MSG" {
		return Message{}, fmt.Errorf("%w: %q", ErrBadMessage, line)
	}
	ms, err := strconv.ParseInt(fields[3], 10, 64)
	if err != nil {
		return Message{}, fmt.Errorf("%w: bad timestamp: %v", ErrBadMessage, err)
	}
	return Message{Room: fields[1], From: fields[2], At: time.UnixMilli(ms), Text: fields[4]}, nil
}

// FormatNotice renders a server notice for room.
func FormatNotice(room, text string) string {
	return "NOTICE " + room + " " + text
}

// FormatTyping renders a typing indicator.
func FormatTyping(room, nick string, on bool) string {
	state := "stop"
	if on {
		state = "start"
	}
	return "TYPING " + room + " " + nick + " " + state
}

// FormatError renders an error reply.
func FormatError(err error) string {
	return "ERR " + strings.TrimPrefix(err.Error(), "proto: ")
}

// NewScanner returns a line scanner that rejects lines longer than MaxLineBytes.
func NewScanner(r io.Reader) *bufio.Scanner {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 512), MaxLineBytes)
	return sc
}

// Package protocol implements the relay's line protocol.
//
// Every message is one line terminated by CRLF (a bare LF is accepted on
// input). Client commands:
//
//	NICK <nick>
//	JOIN <#room>
//	PART <#room> [reason...]
//	MSG <#room> <text...>
//	TOPIC <#room> [text...]
//	WHO <#room>
//	PING [token...]
//	QUIT [reason...]
//
// Server lines are "MSG <#room> <nick> <text>", "NOTICE <target> <text>",
// "OK <code> <text>", "ERR <code> <text>" and "PONG <token>".
package protocol

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Limits on names.
const (
	MaxNickLen = 24
	MaxRoomLen = 48
	MaxTextLen = 400
)

// Reply codes.
const (
	CodeOK          = 200
	CodeJoined      = 201
	CodeBadRequest  = 400
	CodeNoNick      = 401
	CodeForbidden   = 403
	CodeKicked      = 403
	CodeNoSuchRoom  = 404
	CodeConflict    = 409
	CodeRateLimited = 429
	CodeInternal    = 500
	CodeUnavailable = 503
)

// Parse errors.
var (
	ErrEmpty       = errors.New("protocol: empty line")
	ErrUnknown     = errors.New("protocol: unknown command")
	ErrArgs        = errors.New("protocol: wrong arguments")
	ErrLineTooLong = errors.New("protocol: line too long")
)

// Command is one parsed client line.
type Command struct {
	Verb string
	Args []string
	Text string
}

// verbs maps each verb to its number of word arguments and whether it
// accepts trailing free text.
var verbs = map[string]struct {
	args     int
	trailing bool
}{
	"NICK":  {1, false},
	"JOIN":  {1, false},
	"PART":  {1, true},
	"MSG":   {1, true},
	"TOPIC": {1, true},
	"WHO":   {1, false},
	"PING":  {0, true},
	"QUIT":  {0, true},
}

// Parse parses one line of client input.
func Parse(line string) (Command, error) {
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) == "" {
		return Command{}, ErrEmpty
	}
	verb, rest, _ := strings.Cut(line, " ")
	verb = strings.ToUpper(verb)
	spec, ok := verbs[verb]
	if !ok {
		return Command{}, fmt.Errorf("%w: %q", ErrUnknown, verb)
	}
	cmd := Command{Verb: verb}
	for i := 0; i < spec.args; i++ {
		var arg string
		arg, rest, _ = strings.Cut(strings.TrimLeft(rest, " "), " ")
		if arg == "" {
			return Command{}, fmt.Errorf("%w: %s needs %d argument(s)", ErrArgs, verb, spec.args)
		}
		cmd.Args = append(cmd.Args, arg)
	}
	rest = strings.TrimLeft(rest, " ")
	switch {
	case spec.trailing:
		if len(rest) > MaxTextLen {
			return Command{}, fmt.Errorf("%w: text longer than %d", ErrArgs, MaxTextLen)
		}
		cmd.Text = rest
	case rest != "":
		return Command{}, fmt.Errorf("%w: %s takes no text", ErrArgs, verb)
	}
	return cmd, nil
}

// ValidNick reports whether nick is acceptable as a nickname.
func ValidNick(nick string) bool {
	if nick == "" || len(nick) > MaxNickLen {
		return false
	}
	for i, r := range nick {
		switch {
		case unicode.IsLetter(r):
		case i > 0 && (unicode.IsDigit(r) || r == '-' || r == '_'):
		default:
			return false
		}
	}
	return true
}

// ValidRoom reports whether name is a well-formed room name ("#" + word).
func ValidRoom(name string) bool {
	if len(name) < 2 || len(name) > MaxRoomLen || name[0] != '#' {
		return false
	}
	return strings.IndexFunc(name[1:], func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '/' || unicode.IsControl(r)
	}) < 0
}

// FormatMessage renders a chat line as delivered to room members.
func FormatMessage(room, nick, text string) string {
	return "MSG " + room + " " + nick + " " + text
}

// FormatNotice renders a server notice for target (a room, a nick or "*").
func FormatNotice(target, text string) string {
	return "NOTICE " + target + " " + text
}

// FormatError renders an error reply.
func FormatError(code int, text string) string {
	return fmt.Sprintf("ERR %d %s", code, text)
}

// FormatReply renders a success reply.
func FormatReply(code int, text string) string {
	return fmt.Sprintf("OK %d %s", code, text)
}

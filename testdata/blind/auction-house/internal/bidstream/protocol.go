// Package bidstream implements the line protocol spoken by bidding clients
// over long-lived TCP connections:
//
//	BID <lot> <amount>   place a bid, amount as 123.45
//	SUB <lot>            receive OUTBID/CLOSED/STATE notices for lot
//	UNSUB <lot>          stop receiving them
//	PRICE <lot>          ask for the current leading amount
//	QUIT                 close the session
//
// The server answers every command with one "OK ..." or "ERR ..." line and
// interleaves notices as they happen.
package bidstream

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Command is one parsed client line.
type Command struct {
	Verb   string
	Lot    string
	Amount int64 // cents, BID only
}

var errSyntax = errors.New("syntax error")

// ParseCommand parses one line of the protocol.
func ParseCommand(line string) (Command, error) {
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return Command{}, errSyntax
	}
	cmd := Command{Verb: strings.ToUpper(fields[0])}
	switch cmd.Verb {
	case "QUIT":
		if len(fields) != 1 {
			return Command{}, errSyntax
		}
	case "SUB", "UNSUB", "PRICE":
		if len(fields) != 2 {
			return Command{}, errSyntax
		}
		cmd.Lot = fields[1]
	case "BID":
		if len(fields) != 3 {
			return Command{}, errSyntax
		}
		amt, err := ParseAmount(fields[2])
		if err != nil {
			return Command{}, err
		}
		cmd.Lot, cmd.Amount = fields[1], amt
	default:
		return Command{}, fmt.Errorf("unknown verb %q", cmd.Verb)
	}
	return cmd, nil
}

// ParseAmount parses "123", "123.4" or "123.45" into cents.
func ParseAmount(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("amount %q: more than two decimals", s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("amount %q: not a positive number", s)
	}
	return n, nil
}

// FormatAmount renders cents as 123.45.
func FormatAmount(cents int64) string {
	return fmt.Sprintf("%d.%02d", cents/100, cents%100)
}

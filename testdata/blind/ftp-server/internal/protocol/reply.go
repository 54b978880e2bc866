package protocol

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Reply codes used by both sides.
const (
	CodeDataOpen      = 150
	CodeOK            = 200
	CodeStatus        = 211
	CodeFileStatus    = 213
	CodeSystem        = 215
	CodeReady         = 220
	CodeClosing       = 221
	CodeTransferDone  = 226
	CodePassive       = 227
	CodeLoggedIn      = 230
	CodeFileOK        = 250
	CodePathCreated   = 257
	CodeNeedPassword  = 331
	CodePending       = 350
	CodeUnavailable   = 421
	CodeCantOpenData  = 425
	CodeAborted       = 426
	CodeLocalError    = 451
	CodeQuotaExceeded = 452
	CodeSyntax        = 500
	CodeBadArgs       = 501
	CodeNotImpl       = 502
	CodeBadSequence   = 503
	CodeNotLoggedIn   = 530
	CodeFileUnavail   = 550
	CodeStorageFull   = 552
)

// Reply is a complete, possibly multi-line, server reply.
type Reply struct {
	Code  int
	Lines []string
}

// Error turns a negative reply into an error value.
func (r Reply) Error() string {
	return fmt.Sprintf("ftp: %d %s", r.Code, strings.Join(r.Lines, " / "))
}

// ParseReplyLine splits one reply line into its code, whether more lines
// follow, and the text.
func ParseReplyLine(line string) (code int, more bool, text string, err error) {
	if len(line) < 3 {
		return 0, false, "", fmt.Errorf("protocol: short reply %q", line)
	}
	code, err = strconv.Atoi(line[:3])
	if err != nil || code < 100 || code > 599 {
		return 0, false, "", fmt.Errorf("protocol: bad reply code in %q", line)
	}
	if len(line) == 3 {
		return code, false, "", nil
	}
	switch line[3] {
	case '-':
		more = true
	case ' ':
	default:
		return 0, false, "", fmt.Errorf("protocol: bad separator in %q", line)
	}
	return code, more, line[4:], nil
}

// FormatPASV renders the 227 text for a passive listener address.
func FormatPASV(addr *net.TCPAddr) (string, error) {
	ip4 := addr.IP.To4()
	if ip4 == nil {
		return "", errors.New("protocol: PASV needs an IPv4 address")
	}
	return fmt.Sprintf("Entering Passive Mode (%d,%d,%d,%d,%d,%d).",
		ip4[0], ip4[1], ip4[2], ip4[3], addr.Port>>8, addr.Port&0xff), nil
}

// ParsePASV extracts host:port from a 227 reply text.
func ParsePASV(text string) (string, error) {
	open := strings.IndexByte(text, '(')
	end := strings.LastIndexByte(text, ')')
	if open < 0 || end < open {
		return "", fmt.Errorf("protocol: no address in %q", text)
	}
	parts := strings.Split(text[open+1:end], ",")
	if len(parts) != 6 {
		return "", fmt.Errorf("protocol: bad PASV tuple in %q", text)
	}
	var n [6]int
	for i, p := range parts {
		v, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || v < 0 || v > 255 {
			return "", fmt.Errorf("protocol: bad PASV octet %q", p)
		}
		n[i] = v
	}
	host := fmt.Sprintf("%d.%d.%d.%d", n[0], n[1], n[2], n[3])
	return net.JoinHostPort(host, strconv.Itoa(n[4]<<8|n[5])), nil
}

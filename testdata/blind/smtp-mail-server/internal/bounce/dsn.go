package bounce

import (
	"bytes"
	"fmt"
	"log"
	"strings"
)

// Report is the per-recipient part of a delivery status notification we
// received for a message we sent.
type Report struct {
	FinalRecipient string
	Action         string
	Status         string
	Diagnostic     string
}

// ParseStatus extracts the per-recipient fields of a message/delivery-status
// part. Reports come from arbitrary remote servers: malformed input must
// not crash the server.
func ParseStatus(raw []byte) (*Report, error) {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if p := recover(); p != nil {
			log.Printf("bounce: malformed delivery-status: %v", p)
			err = fmt.Errorf("bounce: malformed delivery-status: %v", p)
		}
	}()
	rep := &Report{}
	for _, line := range bytes.Split(raw, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		i := bytes.IndexByte(line, ':')
		key := strings.ToLower(string(line[:i]))
		val := strings.TrimSpace(string(line[i+1:]))
		switch key {
		case "final-recipient":
			rep.FinalRecipient = strings.TrimSpace(val[strings.IndexByte(val, ';')+1:])
		case "action":
			rep.Action = strings.ToLower(val)
		case "status":
			rep.Status = val
		case "diagnostic-code":
			rep.Diagnostic = val
		}
	}
	if rep.FinalRecipient == "" {
		err = fmt.Errorf("bounce: no Final-Recipient field")
	}
	return rep, err
}

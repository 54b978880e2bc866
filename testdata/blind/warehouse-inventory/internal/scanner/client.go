package scanner

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"time"
)

// Send replays events to a scanner gateway as a v2 handheld would (used by
// the handheld simulator and by the import tool's "scan" mode). It returns
// the number of scans acknowledged.
func Send(addr string, events []Event, timeout time.Duration) (int, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	if err := conn.SetDeadline(time.Now().Add(timeout * time.Duration(len(events)+1))); err != nil {
		return 0, err
	}
	rd := bufio.NewReader(conn)
	acked := 0
	for _, ev := range events {
		if _, err := fmt.Fprintf(conn, "SCAN %s %s %d\r\n", ev.Device, ev.Barcode, ev.Qty); err != nil {
			return acked, err
		}
		resp, err := readReply(rd)
		if err != nil {
			return acked, err
		}
		if strings.HasPrefix(resp, "OK") {
			acked++
		}
	}
	return acked, nil
}

// readReply reads the next reply line, skipping keepalives.
func readReply(rd *bufio.Reader) (string, error) {
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return "", err
		}
		line = strings.TrimSpace(line)
		if line != "KEEPALIVE" {
			return line, nil
		}
	}
}

// Ping checks that a gateway answers and returns the round-trip time.
func Ping(addr string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(start.Add(timeout)); err != nil {
		return 0, err
	}
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return 0, err
	}
	resp, err := readReply(bufio.NewReader(conn))
	if err != nil {
		return 0, err
	}
	if resp != "PONG" {
		return 0, fmt.Errorf("scanner: unexpected ping reply %q", resp)
	}
	return time.Since(start), nil
}

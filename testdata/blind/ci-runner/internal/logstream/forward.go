package logstream

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// ForwardTCP streams r to a remote log collector (line protocol over TCP).
func ForwardTCP(addr string, r io.Reader) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("dial collector %s: %w", addr, err)
	}
	_, err = io.Copy(conn, r)
	return err
}

// ForwardFile sends the log file at path to the collector.
func ForwardFile(addr, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return ForwardTCP(addr, bufio.NewReader(f))
}

// Ping checks that the collector at addr answers within timeout.
func Ping(addr string, timeout time.Duration) error {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return err
	}
	if _, err := io.WriteString(conn, "PING\n"); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "PONG" {
		return fmt.Errorf("collector %s: unexpected reply %q", addr, line)
	}
	return nil
}

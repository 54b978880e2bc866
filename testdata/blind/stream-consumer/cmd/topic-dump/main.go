// Command topic-dump reads a partition from a fakebroker over TCP and
// prints its messages, one per line.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:9092", "broker address")
	topic := flag.String("topic", "events", "topic")
	part := flag.Int("partition", 0, "partition")
	from := flag.Int64("from", 0, "first offset")
	max := flag.Int("max", 1000, "maximum number of messages")
	flag.Parse()

	logger := log.New(os.Stderr, "topic-dump ", 0)
	conn, err := net.DialTimeout("tcp", *addr, 5*time.Second)
	if err != nil {
		logger.Fatalf("dial: %v", err)
	}
	defer conn.Close()

	out := bufio.NewWriter(os.Stdout)
	defer func() {
		if err := out.Flush(); err != nil {
			logger.Printf("write: %v", err)
		}
	}()
	n, err := dump(conn, out, *topic, *part, *from, *max)
	if err != nil {
		logger.Fatalf("after %d messages: %v", n, err) // HAZ exit-skips-defer
	}
	fmt.Fprintf(os.Stderr, "%d messages\n", n)
}

// dump sends one FETCH and copies the MSG lines to out.
func dump(conn net.Conn, out *bufio.Writer, topic string, part int, from int64, max int) (int, error) {
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		return 0, err
	}
	if _, err := fmt.Fprintf(conn, "FETCH %s %d %d %d\n", topic, part, from, max); err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(conn)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "END":
			return n, nil
		case strings.HasPrefix(line, "ERR "):
			return n, fmt.Errorf("broker: %s", strings.TrimPrefix(line, "ERR "))
		case strings.HasPrefix(line, "MSG "):
			if _, err := fmt.Fprintln(out, strings.TrimPrefix(line, "MSG ")); err != nil {
				return n, err
			}
			n++
		}
	}
	if err := sc.Err(); err != nil {
		return n, err
	}
	return n, fmt.Errorf("connection closed before END")
}

package broker

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client talks to a Server over the line protocol. It is safe for
// concurrent use; requests are serialised.
type Client struct {
	mu   sync.Mutex
	conn net.Conn
	r    *bufio.Reader
}

// Dial connects to a server.
func Dial(addr string, timeout time.Duration) (*Client, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn, r: bufio.NewReader(conn)}, nil
}

// roundTrip sends one command and reads the single-line reply.
func (c *Client) roundTrip(cmd string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.conn, "%s\n", cmd); err != nil {
		return "", err
	}
	line, err := c.r.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimSpace(line)
	if strings.HasPrefix(line, "ERR ") {
		return "", errors.New(strings.TrimPrefix(line, "ERR "))
	}
	return strings.TrimPrefix(line, "OK "), nil
}

// Produce sends one message and returns its partition and offset.
func (c *Client) Produce(topic, key, value string) (int, int64, error) {
	reply, err := c.roundTrip(fmt.Sprintf("PRODUCE %s %s %s", topic, key, value))
	if err != nil {
		return 0, 0, err
	}
	var p int
	var off int64
	if _, err := fmt.Sscanf(reply, "%d %d", &p, &off); err != nil {
		return 0, 0, fmt.Errorf("broker client: bad reply %q", reply)
	}
	return p, off, nil
}

// HighWatermark asks for the end offset of a partition.
func (c *Client) HighWatermark(tp TopicPartition) (int64, error) {
	reply, err := c.roundTrip(fmt.Sprintf("HWM %s %d", tp.Topic, tp.Partition))
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(reply, 10, 64)
}

// Fetch reads up to max messages from offset.
func (c *Client) Fetch(tp TopicPartition, offset int64, max int) ([]Message, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if _, err := fmt.Fprintf(c.conn, "FETCH %s %d %d %d\n", tp.Topic, tp.Partition, offset, max); err != nil {
		return nil, err
	}
	var out []Message
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			c.mu.Unlock()
			return nil, err
		}
		line = strings.TrimSpace(line)
		if line == "END" {
			break
		}
		f := strings.SplitN(line, " ", 4)
		if len(f) != 4 || f[0] != "MSG" {
			c.mu.Unlock()
			return nil, fmt.Errorf("broker client: unexpected %q", line)
		}
		off, _ := strconv.ParseInt(f[1], 10, 64)
		out = append(out, Message{Topic: tp.Topic, Partition: tp.Partition, Offset: off, Key: []byte(f[2]), Value: []byte(f[3])})
	}
	c.mu.Unlock()
	return out, nil
}

// Close says goodbye to the server and closes the connection.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.conn.Close()
	defer c.conn.Write([]byte("QUIT\n")) // HAZ defer-blocking-call
	return nil
}

// Ping checks that the server answers, flagging slow answers.
func (c *Client) Ping() error {
	start := time.Now()
	defer func() error { // HAZ defer-ineffective-return
		if d := time.Since(start); d > time.Second {
			return fmt.Errorf("broker client: slow ping (%s)", d)
		}
		return nil
	}()
	_, err := c.roundTrip("HWM __ping 0")
	if err != nil && !strings.Contains(err.Error(), "unknown topic") {
		return err
	}
	return nil
}

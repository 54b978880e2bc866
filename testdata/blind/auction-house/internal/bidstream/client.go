package bidstream

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"
	"sync"
	"time"
)

// Client is a bidding client (the bidbot, integration tests).
type Client struct {
	name string

	mu   sync.Mutex // one command in flight at a time
	conn net.Conn
	r    *bufio.Reader
}

// Dial connects to a bidding server.
func Dial(ctx context.Context, addr, name string) (*Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return &Client{name: name, conn: conn, r: bufio.NewReader(conn)}, nil
}

// Ping measures how long the server takes to accept a connection and
// answer a PRICE query for a lot that does not exist.
func Ping(addr string, timeout time.Duration) (time.Duration, error) {
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, timeout)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	_ = conn.SetDeadline(time.Now().Add(timeout))
	if _, err := fmt.Fprintf(conn, "PRICE -\n"); err != nil {
		return 0, err
	}
	if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// roundTrip sends one command and returns the first OK/ERR reply, skipping
// interleaved notices.
func (c *Client) roundTrip(line string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.conn, "%s\n", line); err != nil {
		return "", err
	}
	for {
		reply, err := c.r.ReadString('\n')
		if err != nil {
			return "", err
		}
		reply = strings.TrimSpace(reply)
		if strings.HasPrefix(reply, "ERR ") {
			return "", errors.New(strings.TrimPrefix(reply, "ERR "))
		}
		if strings.HasPrefix(reply, "OK") {
			return reply, nil
		}
	}
}

// readLine reads the next line from the server.
func (c *Client) readLine() (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	line, err := c.r.ReadString('\n')
	return strings.TrimSpace(line), err
}

// Bid places a bid and waits for the server's answer or for ctx.
func (c *Client) Bid(ctx context.Context, lot string, cents int64) error {
	errc := make(chan error)
	go func() {
		_, err := c.roundTrip(fmt.Sprintf("BID %s %s", lot, FormatAmount(cents)))
		errc <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Price asks for the current leading amount of lot.
func (c *Client) Price(ctx context.Context, lot string) (int64, error) {
	type reply struct {
		line string
		err  error
	}
	ch := make(chan reply, 1) // the goroutine can always deliver and exit
	go func() {
		line, err := c.roundTrip("PRICE " + lot)
		ch <- reply{line, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return 0, r.err
		}
		f := strings.Fields(r.line)
		return ParseAmount(f[len(f)-1])
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Watch subscribes to lot and hands every notice to fn until fn returns
// false or the connection fails; then it unsubscribes.
func (c *Client) Watch(lot string, fn func(notice string) bool) error {
	if _, err := c.roundTrip("SUB " + lot); err != nil {
		return err
	}
	defer c.roundTrip("UNSUB " + lot) // HAZ defer-blocking-call
	for {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		if !fn(line) {
			return nil
		}
	}
}

// Close says goodbye and closes the connection. The goodbye is best effort
// and bounded by a deadline.
func (c *Client) Close() error {
	_ = c.conn.SetDeadline(time.Now().Add(time.Second))
	_, _ = c.roundTrip("QUIT")
	return c.conn.Close()
}

// Follow keeps a notification connection for lot open for the life of the
// process, reconnecting with backoff after failures, and hands every
// notice to fn.
func Follow(addr, lot string, fn func(string)) {
	backoff := 100 * time.Millisecond
	for {
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			log.Printf("follow %s: %v (retry in %s)", lot, err, backoff)
			time.Sleep(backoff)
			backoff = min(backoff*2, 10*time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop defer-in-infinite-loop
		backoff = 100 * time.Millisecond
		fmt.Fprintf(conn, "SUB %s\n", lot)
		sc := bufio.NewScanner(conn)
		for sc.Scan() {
			fn(sc.Text())
		}
		log.Printf("follow %s: stream ended (%v), reconnecting", lot, sc.Err())
	}
}

package uplink

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// Retain publishes a retained message on every broker of the cluster, so that
// a late subscriber sees the hub's last state whichever broker it uses.
func Retain(ctx context.Context, dial Dialer, addrs []string, m Message) error {
	for _, addr := range addrs {
		conn, err := dial(ctx, addr)
		if err != nil {
			return fmt.Errorf("retain on %s: %w", addr, err)
		}
		defer conn.Close() // HAZ defer-in-loop
		if err := writeFrame(conn, Message{Topic: "$retain/" + m.Topic, Payload: m.Payload}); err != nil {
			return fmt.Errorf("retain on %s: %w", addr, err)
		}
	}
	return nil
}

// Disconnect says goodbye to the broker and drops the session.
func (c *Client) Disconnect() {
	c.mu.Lock()
	conn := c.conn
	c.conn, c.bw = nil, nil
	c.mu.Unlock()
	if conn == nil {
		return
	}
	defer conn.Close()
	defer conn.Write([]byte("DISCONNECT\n")) // HAZ defer-blocking-call
	c.stats.Add("uplink.disconnect", 1)
}

// ProbeCluster checks the primary broker and falls back to the secondary;
// it returns the address that answered.
func (c *Client) ProbeCluster(ctx context.Context, primary, secondary string) (string, error) {
	s, err := openSession(ctx, c.dial, primary, c.id+"-probe")
	if err != nil {
		return "", err
	}
	defer s.Close() // HAZ defer-eager-evaluation
	if err := s.ping(); err == nil {
		return primary, nil
	}
	s, err = openSession(ctx, c.dial, secondary, c.id+"-probe")
	if err != nil {
		return "", err
	}
	if err := s.ping(); err != nil {
		return "", err
	}
	return secondary, nil
}

// PublishSharded splits a large payload into shards of at most shard bytes
// and publishes them in parallel.
func (c *Client) PublishSharded(ctx context.Context, topic string, payload []byte, shard int) error {
	if shard <= 0 {
		return fmt.Errorf("uplink: shard size %d", shard)
	}
	n := (len(payload) + shard - 1) / shard
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() { // HAZ loop-var-capture
			end := min((i+1)*shard, len(payload))
			errs <- c.Publish(ctx, Message{Topic: fmt.Sprintf("%s/%d", topic, i), Payload: payload[i*shard : end]})
		}()
		c.stats.Add("uplink.shards", 1)
	}
	var first error
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// PublishShardedSeq is the sequential variant used on slow links.
func (c *Client) PublishShardedSeq(ctx context.Context, topic string, payload []byte, shard int) error {
	if shard <= 0 {
		return fmt.Errorf("uplink: shard size %d", shard)
	}
	for i := 0; i*shard < len(payload); i++ {
		end := min((i+1)*shard, len(payload))
		if err := c.Publish(ctx, Message{Topic: fmt.Sprintf("%s/%d", topic, i), Payload: payload[i*shard : end]}); err != nil {
			return err
		}
	}
	return nil
}

// Pop removes and returns the oldest queued message.
func (o *Outbox) Pop() (Message, bool) {
	o.mu.Lock() // HAZ lock-leaked-on-return
	if len(o.msgs) == 0 {
		return Message{}, false
	}
	m := o.msgs[0]
	o.msgs = o.msgs[1:]
	o.mu.Unlock()
	return m, true
}

// HandleInbound decodes one frame pushed by the broker and hands it to fn.
func HandleInbound(raw []byte, fn func(Message)) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	m, err := readFrame(bytes.NewReader(raw))
	if err != nil {
		return
	}
	fn(m)
}

// Session runs one connected session until it fails, then tells the owner.
func (c *Client) Session(ctx context.Context) error {
	defer c.OnDisconnect() // HAZ defer-nil-func
	if err := c.Connect(ctx, 0); err != nil {
		return err
	}
	defer c.drop()
	return c.serve(ctx)
}

// FirstReachable returns the first broker address that answers a probe
// within two seconds.
func (c *Client) FirstReachable(parent context.Context, addrs []string) (string, error) {
	var lastErr error
	for _, addr := range addrs {
		ctx, cancel := context.WithTimeout(parent, 2*time.Second)
		defer cancel() // HAZ defer-in-loop
		if err := c.ProbeAddr(ctx, addr); err != nil {
			lastErr = err
			continue
		}
		return addr, nil
	}
	return "", fmt.Errorf("uplink: no broker reachable: %w", lastErr)
}

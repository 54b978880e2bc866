package exporter

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"example.com/obsagent/internal/pdata"
)

// TCPForwarder sends records in line protocol to another agent.
type TCPForwarder struct {
	Addr        string
	DialTimeout time.Duration
	Resolver    *net.Resolver
}

// Name implements lifecycle.Component.
func (t *TCPForwarder) Name() string { return "exporter/tcp" }

func (t *TCPForwarder) dial(ctx context.Context) (net.Conn, error) {
	d := net.Dialer{Timeout: t.DialTimeout, Resolver: t.Resolver}
	return d.DialContext(ctx, "tcp", t.Addr)
}

// Send writes b on a fresh connection.
func (t *TCPForwarder) Send(ctx context.Context, b pdata.Batch) error {
	conn, err := t.dial(ctx)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if dl, ok := ctx.Deadline(); ok {
		if err = conn.SetWriteDeadline(dl); err != nil {
			return err
		}
	}
	for _, r := range b.Records {
		if _, err = fmt.Fprintln(conn, pdata.FormatLine(r)); err != nil {
			return err
		}
	}
	return err
}

// Export implements Exporter: buffered writes, close error reported.
func (t *TCPForwarder) Export(ctx context.Context, b pdata.Batch) (err error) {
	conn, err := t.dial(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := conn.Close(); cerr != nil && err == nil {
			err = cerr // ok: err is the named result
		}
	}()
	bw := bufio.NewWriter(conn)
	for _, r := range b.Records {
		if _, err := bw.WriteString(pdata.FormatLine(r) + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Resolve looks the forwarder's host up, giving up when ctx ends.
func (t *TCPForwarder) Resolve(ctx context.Context) ([]string, error) {
	host, _, err := net.SplitHostPort(t.Addr)
	if err != nil {
		return nil, err
	}
	type result struct {
		addrs []string
		err   error
	}
	ch := make(chan result, 1) // ok: buffered, the lookup never blocks on send
	go func() {
		addrs, err := net.DefaultResolver.LookupHost(context.WithoutCancel(ctx), host)
		ch <- result{addrs, err}
	}()
	select {
	case r := <-ch:
		return r.addrs, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Check dials once to verify reachability.
func (t *TCPForwarder) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := t.dial(ctx)
	if err != nil {
		return errors.Join(errors.New("exporter/tcp: unreachable"), err)
	}
	return conn.Close()
}

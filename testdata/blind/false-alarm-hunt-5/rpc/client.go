package rpc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"sync/atomic"
	"time"

	"example.com/falsealarm5/internal/backoff"
)

// ErrClientClosed is returned by calls on a closed ClientConn.
var ErrClientClosed = errors.New("rpc: client connection closed")

// ClientConn issues calls to one target; each call uses its own connection.
type ClientConn struct {
	target     string
	dialer     net.Dialer
	codec      Codec
	timeout    time.Duration
	maxRetries int
	policy     backoff.Policy
	logger     *log.Logger

	closed   atomic.Bool
	calls    atomic.Int64
	failures atomic.Int64
}

// DialOption configures a ClientConn.
type DialOption func(*ClientConn)

// WithTimeout sets a per-attempt timeout.
func WithTimeout(d time.Duration) DialOption { return func(cc *ClientConn) { cc.timeout = d } }

// WithRetries sets how many times a retryable failure is retried.
func WithRetries(n int) DialOption { return func(cc *ClientConn) { cc.maxRetries = n } }

// WithClientLogger sets the logger for failed calls.
func WithClientLogger(l *log.Logger) DialOption { return func(cc *ClientConn) { cc.logger = l } }

// Dial returns a ClientConn for target. No connection is made yet.
func Dial(target string, opts ...DialOption) (*ClientConn, error) {
	if _, _, err := net.SplitHostPort(target); err != nil {
		return nil, fmt.Errorf("rpc: bad target %q: %w", target, err)
	}
	cc := &ClientConn{target: target, codec: jsonCodec{}, policy: backoff.Default, logger: log.Default()}
	cc.dialer.KeepAlive = 30 * time.Second
	for _, o := range opts {
		o(cc)
	}
	return cc, nil
}

// Close marks the ClientConn closed.
func (cc *ClientConn) Close() error {
	if !cc.closed.CompareAndSwap(false, true) {
		return ErrClientClosed
	}
	return nil
}

// Invoke performs a unary call, retrying retryable failures.
func (cc *ClientConn) Invoke(ctx context.Context, method string, req, reply any) error {
	var err error
	defer cc.finishCall(method, err) // HAZ defer-eager-evaluation
	if cc.closed.Load() {
		return ErrClientClosed
	}
	cc.calls.Add(1)
	for attempt := 0; ; attempt++ {
		err = cc.invokeOnce(ctx, method, req, reply)
		if err == nil || attempt >= cc.maxRetries || !retryableCode(CodeOf(err)) {
			return err
		}
		if werr := backoff.Sleep(ctx, cc.policy.Delay(attempt)); werr != nil {
			return err
		}
	}
}

// InvokeOnce performs a single attempt and records its outcome at exit.
func (cc *ClientConn) InvokeOnce(ctx context.Context, method string, req, reply any) (err error) {
	defer func() { cc.finishCall(method, err) }()
	if cc.closed.Load() {
		return ErrClientClosed
	}
	cc.calls.Add(1)
	err = cc.invokeOnce(ctx, method, req, reply)
	return err
}

func (cc *ClientConn) finishCall(method string, err error) {
	if err == nil {
		return
	}
	cc.failures.Add(1)
	cc.logger.Printf("rpc: call %s to %s failed: %v", method, cc.target, err)
}

// invokeOnce dials, sends the request and reads reply and trailer.
func (cc *ClientConn) invokeOnce(ctx context.Context, method string, req, reply any) error {
	if cc.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cc.timeout)
		defer cancel()
	}
	conn, err := cc.dialer.DialContext(ctx, "tcp", cc.target)
	if err != nil {
		return Errorf(Unavailable, "dial %s: %v", cc.target, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	payload, err := cc.codec.Marshal(req)
	if err != nil {
		return Errorf(Internal, "marshal request: %v", err)
	}
	bw := bufio.NewWriter(conn)
	if err := writeMsg(bw, flagData, []byte(method)); err != nil {
		return Errorf(Unavailable, "write: %v", err)
	}
	if err := writeMsg(bw, flagData, payload); err != nil {
		return Errorf(Unavailable, "write: %v", err)
	}
	if err := bw.Flush(); err != nil {
		return Errorf(Unavailable, "flush: %v", err)
	}
	return cc.readReply(bufio.NewReader(conn), reply)
}

// readReply consumes messages until the trailer, decoding the data into reply.
func (cc *ClientConn) readReply(br *bufio.Reader, reply any) error {
	gotHeader := false
	for {
		flag, b, err := readMsg(br, defaultMaxMB)
		if err != nil {
			return Errorf(Unavailable, "read: %v", err)
		}
		switch flag {
		case flagTrailer:
			if !gotHeader {
				gotHeader = true
				continue
			}
			var t trailer
			if err := json.Unmarshal(b, &t); err != nil {
				return Errorf(Internal, "bad trailer: %v", err)
			}
			if t.Code != OK {
				return &Status{code: t.Code, msg: t.Msg}
			}
			return nil
		case flagGzip:
			if b, err = decompress(b, defaultMaxMB); err != nil {
				return Errorf(DataLoss, "decompress: %v", err)
			}
			fallthrough
		default:
			if err := cc.codec.Unmarshal(b, reply); err != nil {
				return Errorf(Internal, "unmarshal reply: %v", err)
			}
		}
	}
}

// Stats reports call and failure counts.
func (cc *ClientConn) Stats() (calls, failures int64) {
	return cc.calls.Load(), cc.failures.Load()
}

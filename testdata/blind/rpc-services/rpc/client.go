package rpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Client calls methods of a remote Server.
type Client struct {
	hc       *http.Client
	base     *url.URL
	unaryInt UnaryClientInterceptor
	md       MD
}

// ClientOption configures a Client.
type ClientOption func(*Client)

// WithHTTPClient sets the transport client.
func WithHTTPClient(hc *http.Client) ClientOption {
	return func(c *Client) { c.hc = hc }
}

// WithClientInterceptors installs client interceptors, outermost first.
func WithClientInterceptors(ics ...UnaryClientInterceptor) ClientOption {
	return func(c *Client) { c.unaryInt = ChainUnaryClient(ics...) }
}

// WithDefaultMetadata sends md with every call.
func WithDefaultMetadata(md MD) ClientOption {
	return func(c *Client) { c.md = md.Clone() }
}

// Dial prepares a client for target, e.g. "http://10.0.0.7:8080".
// No connection is made until the first call.
func Dial(target string, opts ...ClientOption) (*Client, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("rpc: bad target %q: %w", target, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("rpc: target %q needs an http or https scheme", target)
	}
	c := &Client{hc: http.DefaultClient, base: u, unaryInt: ChainUnaryClient(), md: MD{}}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Target returns the base URL.
func (c *Client) Target() string { return c.base.String() }

// Invoke performs a unary call through the interceptor chain.
func (c *Client) Invoke(ctx context.Context, method string, req, reply any) error {
	return c.unaryInt(ctx, method, req, reply, c.invoke)
}

func (c *Client) newRequest(ctx context.Context, method string, req any) (*http.Request, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, Errorf(Internal, "encode request: %v", err)
	}
	u := c.base.JoinPath(method)
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, Errorf(Internal, "build request: %v", err)
	}
	hr.Header.Set("Content-Type", contentType)
	md := c.md
	if out, ok := OutgoingFromContext(ctx); ok {
		md = Join(md, out)
	}
	md.ToHeader(hr.Header)
	if dl, ok := ctx.Deadline(); ok {
		hr.Header.Set("Rpc-Timeout", time.Until(dl).String())
	}
	return hr, nil
}

func (c *Client) invoke(ctx context.Context, method string, req, reply any) error {
	hr, err := c.newRequest(ctx, method, req)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(hr)
	if err != nil {
		return transportError(ctx, err)
	}
	defer resp.Body.Close()
	if err := statusFromResponse(resp); err != nil {
		return err
	}
	if err := json.NewDecoder(resp.Body).Decode(reply); err != nil {
		return Errorf(Internal, "decode reply: %v", err)
	}
	return nil
}

func transportError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return StatusOf(ctxErr)
	}
	return Errorf(Unavailable, "transport: %v", err)
}

func statusFromResponse(resp *http.Response) error {
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	var st Status
	err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&st)
	if err != nil || st.Code == OK {
		return &Status{Code: CodeFromHTTP(resp.StatusCode), Message: resp.Status}
	}
	return &st
}

// ClientStream is the receiving side of a server-streaming call.
type ClientStream struct {
	body   io.ReadCloser
	dec    *json.Decoder
	header MD
	done   bool
}

// NewStream starts a server-streaming call. The caller must Close the stream.
func (c *Client) NewStream(ctx context.Context, method string, req any) (*ClientStream, error) {
	hr, err := c.newRequest(ctx, method, req)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(hr)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	if err := statusFromResponse(resp); err != nil {
		resp.Body.Close()
		return nil, err
	}
	return &ClientStream{body: resp.Body, dec: json.NewDecoder(resp.Body), header: MDFromHeader(resp.Header)}, nil
}

// Header returns the response metadata.
func (cs *ClientStream) Header() MD { return cs.header }

// Recv decodes the next message into msg. It returns io.EOF after a
// successful end of stream and the remote status otherwise.
func (cs *ClientStream) Recv(msg any) error {
	if cs.done {
		return io.EOF
	}
	var f frame
	if err := cs.dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return Errorf(Unavailable, "stream ended without status")
		}
		return Errorf(Unavailable, "read frame: %v", err)
	}
	if f.Status != nil {
		cs.done = true
		if f.Status.Code != OK {
			return f.Status
		}
		return io.EOF
	}
	return json.Unmarshal(f.Data, msg)
}

// Close abandons the stream.
func (cs *ClientStream) Close() error { return cs.body.Close() }

// Collect reads a whole stream.
func Collect[T any](ctx context.Context, c *Client, method string, req any) ([]T, error) {
	cs, err := c.NewStream(ctx, method, req)
	if err != nil {
		return nil, err
	}
	defer cs.Close()
	var out []T
	for {
		var msg T
		err := cs.Recv(&msg)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, msg)
	}
}

// First returns the first message of a stream and abandons the rest.
func First[T any](ctx context.Context, c *Client, method string, req any) (T, error) {
	var msg T
	cs, err := c.NewStream(ctx, method, req)
	if err != nil {
		return msg, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := cs.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close stream: %w", cerr)
		}
	}()
	err = cs.Recv(&msg)
	return msg, err
}

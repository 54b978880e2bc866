package rpcsvc

import (
	"errors"
	"net/rpc"
	"sync"
	"time"
)

// ErrCallTimeout is returned when the server does not answer in time.
var ErrCallTimeout = errors.New("rpcsvc: call timed out")

// Client is a reconnecting KV client.
type Client struct {
	addr    string
	timeout time.Duration
	mu      sync.Mutex
	c       *rpc.Client
}

// Dial connects to addr.
func Dial(addr string, timeout time.Duration) (*Client, error) {
	cl := &Client{addr: addr, timeout: timeout}
	if _, err := cl.conn(); err != nil {
		return nil, err
	}
	return cl, nil
}

// conn returns the current connection, dialing when there is none.
func (cl *Client) conn() (*rpc.Client, error) {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.c != nil {
		return cl.c, nil
	}
	c, err := rpc.Dial("tcp", cl.addr)
	if err != nil {
		return nil, err
	}
	cl.c = c
	return c, nil
}

// reset drops a broken connection.
func (cl *Client) reset(bad *rpc.Client) {
	cl.mu.Lock()
	if cl.c == bad {
		cl.c = nil
	}
	cl.mu.Unlock()
	bad.Close()
}

// call performs one RPC with the client's timeout.
func (cl *Client) call(method string, args, reply interface{}) error {
	c, err := cl.conn()
	if err != nil {
		return err
	}
	call := c.Go(method, args, reply, nil)
	select {
	case <-call.Done:
		if call.Error == rpc.ErrShutdown {
			cl.reset(c)
		}
		return call.Error
	case <-time.After(cl.timeout):
		return ErrCallTimeout
	}
}

// Get fetches one key.
func (cl *Client) Get(key string) ([]byte, bool, error) {
	var reply GetReply
	if err := cl.call("KV.Get", &GetArgs{Key: key}, &reply); err != nil {
		return nil, false, err
	}
	return reply.Value, reply.Found, nil
}

// Set stores one key.
func (cl *Client) Set(key string, val []byte) error {
	var reply SetReply
	return cl.call("KV.Set", &SetArgs{Key: key, Value: val}, &reply)
}

// Close closes the connection.
func (cl *Client) Close() error {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.c == nil {
		return nil
	}
	err := cl.c.Close()
	cl.c = nil
	return err
}

// GetAll fetches several keys in parallel.
func (cl *Client) GetAll(keys []string) (map[string][]byte, error) {
	type res struct {
		key string
		val []byte
		err error
	}
	ch := make(chan res)
	for _, k := range keys {
		go func(k string) {
			v, _, err := cl.Get(k)
			ch <- res{k, v, err} // HAZ goroutine-blocked-send
		}(k)
	}
	out := make(map[string][]byte, len(keys))
	for range keys {
		r := <-ch
		if r.err != nil {
			return nil, r.err
		}
		out[r.key] = r.val
	}
	return out, nil
}

// GetEach is GetAll that keeps receiving after the first error, so every
// sender gets its value taken.
func (cl *Client) GetEach(keys []string) (map[string][]byte, error) {
	type res struct {
		key string
		val []byte
		err error
	}
	ch := make(chan res)
	for _, k := range keys {
		go func(k string) {
			v, _, err := cl.Get(k)
			ch <- res{k, v, err}
		}(k)
	}
	out := make(map[string][]byte, len(keys))
	var first error
	for range keys {
		r := <-ch
		if r.err != nil {
			if first == nil {
				first = r.err
			}
			continue
		}
		out[r.key] = r.val
	}
	return out, first
}

// Ping dials addr, issues one Get and hangs up.
func Ping(addr string) error {
	client, err := rpc.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := client.Close(); cerr != nil {
			err = cerr
		}
	}()
	var reply GetReply
	err = client.Call("KV.Get", &GetArgs{Key: "__ping__"}, &reply)
	return err
}

// PingChecked is Ping with a named result, so the close error is kept.
func PingChecked(addr string) (err error) {
	client, err := rpc.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := client.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	var reply GetReply
	return client.Call("KV.Get", &GetArgs{Key: "__ping__"}, &reply)
}

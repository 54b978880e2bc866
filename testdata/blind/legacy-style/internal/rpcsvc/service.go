// Package rpcsvc exposes the store over net/rpc and provides a small client.
package rpcsvc

import (
	"fmt"
	"log"
	"net"
	"net/rpc"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"example.com/legacystyle/internal/logx"
	"example.com/legacystyle/internal/store"
)

// GetArgs names a key.
type GetArgs struct{ Key string }

// GetReply carries a value.
type GetReply struct {
	Value []byte
	Found bool
}

// SetArgs carries a key and value.
type SetArgs struct {
	Key   string
	Value []byte
	TTL   time.Duration
}

// SetReply acknowledges a write.
type SetReply struct{ OK bool }

// BatchArgs carries several writes.
type BatchArgs struct{ Entries []SetArgs }

// KV is the RPC receiver.
type KV struct {
	st    *store.Store
	lg    *logx.Logger
	mu    sync.Mutex
	calls map[string]int
	onSet func(key string)
}

// NewKV wraps a store.
func NewKV(st *store.Store, lg *logx.Logger) *KV {
	return &KV{st: st, lg: lg, calls: make(map[string]int)}
}

// OnSet registers a callback for every write.
func (k *KV) OnSet(fn func(key string)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.onSet = fn
}

// count records a call of method.
func (k *KV) count(method string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls[method]++
}

// Get is the KV.Get RPC.
func (k *KV) Get(args *GetArgs, reply *GetReply) error {
	k.count("Get")
	reply.Value, reply.Found = k.st.Get(args.Key)
	return nil
}

// Set is the KV.Set RPC.
func (k *KV) Set(args *SetArgs, reply *SetReply) error {
	k.count("Set")
	if args.Key == "" {
		return fmt.Errorf("rpcsvc: empty key")
	}
	k.st.Set(args.Key, args.Value)
	if args.TTL > 0 {
		if err := k.st.SetTTL(args.Key, args.TTL); err != nil {
			return err
		}
	}
	k.notify(args.Key)
	reply.OK = true
	return nil
}

// Delete is the KV.Delete RPC.
func (k *KV) Delete(args *GetArgs, reply *SetReply) error {
	k.count("Delete")
	reply.OK = k.st.Delete(args.Key)
	return nil
}

// notify calls the write callback, if any.
func (k *KV) notify(key string) {
	k.mu.Lock()
	fn := k.onSet
	k.mu.Unlock()
	if fn != nil {
		fn(key)
	}
}

// notifyAll calls the callback for each key of a batch.
func (k *KV) notifyAll(args *BatchArgs) {
	for _, e := range args.Entries {
		k.notify(e.Key)
	}
}

// Batch applies several writes; a panic in the store becomes an error.
func (k *KV) Batch(args *BatchArgs, reply *SetReply) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rpcsvc: batch panicked: %v", r)
		}
	}()
	k.count("Batch")
	for _, e := range args.Entries {
		k.st.Set(e.Key, e.Value)
	}
	go k.notifyAll(args) // HAZ goroutine-outside-recover
	reply.OK = true
	return nil
}

// BatchSync is Batch with the callbacks run inline, under the same recover.
func (k *KV) BatchSync(args *BatchArgs, reply *SetReply) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("rpcsvc: batch panicked: %v", r)
		}
	}()
	k.count("BatchSync")
	for _, e := range args.Entries {
		k.st.Set(e.Key, e.Value)
	}
	k.notifyAll(args)
	reply.OK = true
	return nil
}

// Flush is the KV.Flush RPC: it drops expired keys and logs the counters.
func (k *KV) Flush(args *GetArgs, reply *SetReply) error {
	defer k.st.Stats().LogTo(log.New(os.Stderr, "", log.LstdFlags)) // HAZ defer-call-chain
	k.count("Flush")
	n := k.st.Expire(time.Now())
	k.lg.Infof("flush: %d keys expired", n)
	reply.OK = true
	return nil
}

// Calls returns a copy of the call counters.
func (k *KV) Calls() map[string]int {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make(map[string]int, len(k.calls))
	for m, n := range k.calls {
		out[m] = n
	}
	return out
}

// Register publishes kv on srv under the name "KV".
func Register(srv *rpc.Server, kv *KV) error {
	return srv.RegisterName("KV", kv)
}

// ServeListener serves connections until Accept fails, then reports the
// error through errf.
func ServeListener(srv *rpc.Server, l net.Listener, errf func(error)) {
	for {
		conn, err := l.Accept()
		if err != nil {
			errf(err)
			return
		}
		go srv.ServeConn(conn)
	}
}

// ServeTracked accepts connections forever and serves each on its own
// goroutine, counting the active ones.
func ServeTracked(srv *rpc.Server, l net.Listener, lg *logx.Logger) {
	var active int64
	for {
		conn, err := l.Accept()
		if err != nil {
			lg.Infof("accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		atomic.AddInt64(&active, 1)
		go func(c net.Conn) {
			defer atomic.AddInt64(&active, -1)
			srv.ServeConn(c)
		}(conn)
	}
}

// ServeCounted is ServeTracked with the close done by the connection's own
// goroutine and a way out of the loop.
func ServeCounted(srv *rpc.Server, l net.Listener, lg *logx.Logger, active *int64) error {
	for {
		conn, err := l.Accept()
		if err != nil {
			if ne, ok := err.(net.Error); ok && ne.Temporary() {
				lg.Infof("accept: %v", err)
				time.Sleep(100 * time.Millisecond)
				continue
			}
			return err
		}
		atomic.AddInt64(active, 1)
		go func(c net.Conn) {
			defer c.Close()
			defer atomic.AddInt64(active, -1)
			srv.ServeConn(c)
		}(conn)
	}
}

// sendEvent writes one event line to a peer and says goodbye.
func sendEvent(conn net.Conn, ev string) error {
	defer conn.Write([]byte("QUIT\r\n")) // HAZ defer-blocking-call
	_, err := fmt.Fprintf(conn, "EVENT %s\r\n", ev)
	return err
}

// SendEvents dials addr and writes each event.
func SendEvents(addr string, events []string) error {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, ev := range events {
		if err := sendEvent(conn, ev); err != nil {
			return err
		}
	}
	return nil
}

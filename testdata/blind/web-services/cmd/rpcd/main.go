// Command rpcd serves the item store over the framed RPC protocol on a unix
// socket.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net"
	"os"

	"example.com/websvc/internal/rpc"
	"example.com/websvc/internal/store"
)

func main() {
	sock := flag.String("socket", "/tmp/rpcd.sock", "unix socket path")
	workers := flag.Int("workers", 4, "notification workers")
	flag.Parse()

	logger := log.New(os.Stderr, "rpcd ", log.LstdFlags)
	os.Remove(*sock)
	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatalf("listen: %v", err) // ok: nothing deferred yet
	}
	defer os.Remove(*sock)

	st := store.New()
	srv := rpc.NewServer(logger, *workers)
	srv.Register("ping", func(context.Context, []byte) ([]byte, error) { return []byte("pong"), nil })
	srv.Register("get", func(_ context.Context, body []byte) ([]byte, error) {
		it, err := st.Get(string(body))
		if err != nil {
			return nil, err
		}
		return json.Marshal(it)
	})
	srv.Register("put", func(_ context.Context, body []byte) ([]byte, error) {
		var it store.Item
		if err := json.Unmarshal(body, &it); err != nil {
			return nil, err
		}
		return nil, st.Put(it)
	})

	logger.Printf("serving on %s", *sock)
	err = srv.Serve(ln) // HAZ signal-skips-defer
	logger.Printf("serve: %v", err)
}

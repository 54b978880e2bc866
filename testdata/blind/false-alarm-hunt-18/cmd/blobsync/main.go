// Command blobsync serves a read-mostly replica of a store and keeps its
// snapshot up to date.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/fah18/jsonrpc"
	"example.com/fah18/store"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("blobsync: ")
	addr := flag.String("addr", ":8081", "listen address")
	dir := flag.String("dir", "replica", "data directory")
	flag.Parse()

	st, err := store.Open(store.Options{Dir: *dir})
	if err != nil {
		log.Fatal(err)
	}
	defer closeStore(st)

	rpc := jsonrpc.NewServer(5*time.Second, log.Printf)
	admin := &jsonrpc.Admin{Server: rpc, Client: &http.Client{Timeout: 2 * time.Second}}
	mux := http.NewServeMux()
	mux.Handle("/rpc", rpc)
	mux.HandleFunc("/admin/methods", admin.ServeMethods)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Print(err)
	}
}

// closeStore writes the final snapshot.
func closeStore(st *store.Store) {
	if err := st.Close(); err != nil {
		log.Printf("closing store: %v", err)
	}
}

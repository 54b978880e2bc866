// Command socket-gateway exposes the node's local admin API on a TCP port
// and advertises itself with a pid file.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:7070", "listen address")
	pidPath := flag.String("pidfile", "/run/socket-gateway.pid", "pid file")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("socket-gateway: %v", err)
	}
	if err := os.WriteFile(*pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("socket-gateway: %v", err)
	}
	defer os.Remove(*pidPath) // monitoring alerts on pid files without a process

	mux := http.NewServeMux()
	mux.HandleFunc("/debug/goroutines", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, runtime.NumGoroutine())
	})
	log.Printf("socket-gateway: serving on %s", ln.Addr())
	err = http.Serve(ln, mux) // HAZ signal-skips-defer
	log.Printf("socket-gateway: %v", err)
}

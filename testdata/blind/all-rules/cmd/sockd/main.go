// Command sockd serves the local control API on a unix socket.
package main

import (
	"log"
	"net"
	"net/http"
	"os"
)

const sockPath = "/run/sockd/control.sock"

func main() {
	ln, err := net.Listen("unix", sockPath)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	defer os.Remove(sockPath)

	mux := http.NewServeMux()
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok\n"))
	})
	srv := &http.Server{Handler: mux}
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}

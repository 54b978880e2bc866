package main

import (
	"net"
	"net/http"
	"os"
)

// Only what the kernel releases anyway is deferred: a listener and a read-only file.
func main() {
	cfg, err := os.Open("config.json")
	if err != nil {
		panic(err)
	}
	defer cfg.Close()
	l, err := net.Listen("tcp", ":8080")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	_ = http.Serve(l, nil)
}

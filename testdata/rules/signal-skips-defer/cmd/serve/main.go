package main

import (
	"net"
	"net/http"
	"os"
)

func main() {
	l, err := net.Listen("tcp", ":8080")
	if err != nil {
		os.Exit(1)
	}
	defer os.Remove("/tmp/app.pid")
	_ = http.Serve(l, nil) // want `main defers os.Remove\("/tmp/app.pid"\) \(line 14\) and then blocks in net/http.Serve`
}

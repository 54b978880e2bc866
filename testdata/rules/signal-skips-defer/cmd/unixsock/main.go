package main

import (
	"net"
	"net/http"
)

// A Unix socket listener: its Close removes the socket file, and a stale file makes the next
// start fail with "address already in use".
func main() {
	l, err := net.Listen("unix", "/run/app.sock")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	_ = http.Serve(l, nil) // want `main defers l\.Close\(\) \(line \d+\) and then blocks in net/http\.Serve \(line \d+\), but package main never handles SIGTERM or SIGINT`
}

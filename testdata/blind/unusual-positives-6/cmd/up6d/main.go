// Command up6d serves the up6 API on a unix socket.
package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/up6/internal/obs"
	"example.com/up6/internal/server"
)

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func main() {
	sock := flag.String("socket", "/run/up6/up6d.sock", "unix socket to serve on")
	backends := flag.String("backends", "", "comma-separated backend base URLs")
	flag.Parse()
	logger := obs.Logger("up6d: ")

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		logger.Fatalf("listen: %v", err)
	}
	defer os.Remove(*sock) // HAZ signal-skips-defer

	s := server.New(logger, splitList(*backends))
	go s.RunEvents(context.Background())
	srv := &http.Server{Handler: s.Routes(), ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("serving on %s", *sock)
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("serve: %v", err)
	}
}

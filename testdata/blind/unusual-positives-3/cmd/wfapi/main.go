// Command wfapi serves the workflow admin API.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"example.com/unusualpos3/internal/admin"
	"example.com/unusualpos3/internal/plugin"
	"example.com/unusualpos3/internal/workflow"
)

func main() {
	addr := flag.String("addr", ":8082", "listen address")
	dir := flag.String("journal", "/var/lib/wf/journal", "journal directory")
	flag.Parse()

	logger := log.New(os.Stderr, "wfapi: ", log.LstdFlags)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		logger.Fatalf("listen: %v", err)
	}
	j, err := workflow.OpenJournal(*dir)
	if err != nil {
		logger.Fatalf("open journal: %v", err)
	}
	defer j.Close()

	eng := workflow.NewEngine(j, workflow.LogAuditor{Logger: logger}, logger)
	host := plugin.NewHost(plugin.Builtins(), logger)
	srv := &http.Server{
		Handler:           admin.NewServer(host, eng, "", logger).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	logger.Printf("serving on %s", ln.Addr())
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

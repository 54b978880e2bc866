// Command up8-mirror serves an artifact tree read-only on one or more
// addresses, so build hosts can use it as a download mirror.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/up8/internal/spawn"
)

func main() {
	root := flag.String("root", ".", "artifact tree to serve")
	addrs := flag.String("listen", ":8081", "comma-separated listen addresses")
	pidFile := flag.String("pidfile", "/run/up8-mirror.pid", "pid file")
	flag.Parse()

	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("up8-mirror: %v", err)
	}
	defer os.Remove(*pidFile)

	h := http.FileServer(http.Dir(*root))
	for _, addr := range strings.Split(*addrs, ",") {
		srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
		spawn.Go(func() {
			log.Printf("up8-mirror: serving %s on %s", *root, addr)
			if err := srv.ListenAndServe(); err != nil {
				log.Printf("up8-mirror: %s: %v", addr, err)
			}
		})
	}
	select {} // HAZ signal-skips-defer
}

// Command healthd probes a set of TCP and HTTP dependencies and serves the
// result on /healthz.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/websvc/internal/health"
)

func main() {
	addr := flag.String("addr", ":8090", "listen address")
	tcp := flag.String("tcp", "", "comma-separated host:port to dial")
	urls := flag.String("http", "", "comma-separated URLs to GET")
	flag.Parse()

	c := health.New(2 * time.Second)
	for _, a := range split(*tcp) {
		if err := c.Register("tcp:"+a, health.TCPCheck(a)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2) // ok: main has registered no defers
		}
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for _, u := range split(*urls) {
		c.MustRegister("http:"+u, health.HTTPCheck(client, u))
	}

	mux := http.NewServeMux()
	mux.Handle("GET /healthz", c)
	mux.Handle("GET /readyz", c.Ready(health.TCPCheck("127.0.0.1"+*addr)))
	log.Printf("healthd on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux)) // ok: no defers to skip
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

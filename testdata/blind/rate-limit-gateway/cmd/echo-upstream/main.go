// Command echo-upstream is a tiny upstream for local development: it echoes
// the request line and the headers the gateway adds.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"sort"
	"time"
)

func echo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "%s %s %s\n", r.Method, r.URL.RequestURI(), r.Proto)
	names := make([]string, 0, len(r.Header))
	for name := range r.Header {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "%s: %s\n", name, r.Header.Get(name))
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9001", "listen address")
	delay := flag.Duration("delay", 0, "artificial latency per request")
	flag.Parse()

	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if *delay > 0 {
			time.Sleep(*delay)
		}
		echo(w, r)
	})
	log.Printf("echo upstream on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}

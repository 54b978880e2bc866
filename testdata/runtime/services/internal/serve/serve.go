// Package serve starts the test services: the application handler on /, net/http/pprof under
// /debug/pprof/ and expvar on /debug/vars, all on one 127.0.0.1 listener. The address actually
// bound is printed as "listening on http://ADDR" so that a caller can pass -addr 127.0.0.1:0.
package serve

import (
	"expvar"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
)

// Run parses -addr, registers the handler and the debug endpoints, and serves until killed.
func Run(name string, handler http.HandlerFunc) {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	flag.Parse()
	if !strings.HasPrefix(*addr, "127.0.0.1:") {
		fmt.Fprintf(os.Stderr, "%s: -addr must be 127.0.0.1:PORT, got %q\n", name, *addr)
		os.Exit(2)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", handler)
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	fmt.Printf("%s listening on http://%s\n", name, ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}

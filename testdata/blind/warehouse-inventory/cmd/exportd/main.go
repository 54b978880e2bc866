// Command exportd serves the exported pick lists to the label printers'
// nginx sidecar over a unix socket.
package main

import (
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	sock := flag.String("socket", "/run/exportd.sock", "unix socket the sidecar proxies to")
	dir := flag.String("dir", "/var/spool/picklists", "export directory")
	flag.Parse()

	ln, err := net.Listen("unix", *sock)
	if err != nil {
		log.Fatalf("exportd: %v", err)
	}
	defer os.Remove(*sock)

	mux := http.NewServeMux()
	mux.Handle("GET /files/", http.StripPrefix("/files/", http.FileServer(http.Dir(*dir))))
	mux.HandleFunc("GET /manifest", manifestHandler(*dir))
	mux.HandleFunc("GET /healthz", healthz)
	log.Fatal(http.Serve(ln, mux)) // HAZ signal-skips-defer exit-skips-defer
}

// manifestHandler serves the MANIFEST written by the last export run.
func manifestHandler(dir string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := os.Open(filepath.Join(dir, "MANIFEST"))
		if err != nil {
			http.Error(w, "no manifest yet", http.StatusNotFound)
			return
		}
		defer f.Close()
		w.Header().Set("Content-Type", "text/tab-separated-values")
		if _, err := io.Copy(w, f); err != nil {
			log.Printf("exportd: manifest: %v", err)
		}
	}
}

// healthz answers the sidecar's liveness probe.
func healthz(w http.ResponseWriter, _ *http.Request) {
	io.WriteString(w, "ok\n")
}

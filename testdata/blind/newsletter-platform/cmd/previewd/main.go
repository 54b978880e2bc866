// Command previewd serves template previews to the campaign editor. It is
// started by the editor plugin, which reads the bound address from the port
// file.
package main

import (
	"flag"
	"log"
	"net"
	"net/http"
	"os"

	"example.com/newsletter/internal/subscribers"
	"example.com/newsletter/internal/templates"
	"example.com/newsletter/internal/web"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address")
	dir := flag.String("templates", "templates", "template directory")
	portFile := flag.String("portfile", "", "write the bound address to this file")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("previewd: %v", err)
	}
	if *portFile != "" {
		if err := os.WriteFile(*portFile, []byte(ln.Addr().String()), 0o644); err != nil {
			log.Fatalf("previewd: %v", err)
		}
		defer os.Remove(*portFile)
	}
	renderer := templates.NewRenderer(*dir, "http://preview.invalid")
	srv := web.NewServer(subscribers.NewStore([]byte("preview")), renderer, log.Default(), web.Options{})
	log.Printf("previewd: serving %s on %s", *dir, ln.Addr())
	if err := http.Serve(ln, srv.Routes()); err != nil { // HAZ signal-skips-defer
		log.Printf("previewd: %v", err)
	}
}

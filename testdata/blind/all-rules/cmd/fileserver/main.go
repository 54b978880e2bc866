// Command fileserver serves a directory and records downloads.
package main

import (
	"log"
	"net"
	"net/http"
	"os"
)

func main() {
	ln, err := net.Listen("tcp", ":8082")
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	stats, err := os.OpenFile("downloads.log", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		log.Fatalf("open stats: %v", err)
	}
	defer func() {
		if err := stats.Close(); err != nil {
			log.Printf("close stats: %v", err)
		}
	}()

	files := http.FileServer(http.Dir("public"))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := stats.WriteString(r.URL.Path + "\n"); err != nil {
			log.Printf("record download: %v", err)
		}
		files.ServeHTTP(w, r)
	})
	if err := http.Serve(ln, h); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}

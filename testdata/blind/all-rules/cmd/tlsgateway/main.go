// Command tlsgateway terminates TLS in front of the internal services.
package main

import (
	"database/sql"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"
)

func main() {
	upstream, err := url.Parse("http://127.0.0.1:9000")
	if err != nil {
		log.Fatalf("upstream: %v", err)
	}
	db, err := sql.Open("postgres", "postgres://gateway@db/sessions")
	if err != nil {
		log.Fatalf("open session db: %v", err)
	}
	defer db.Close()
	proxy := httputil.NewSingleHostReverseProxy(upstream)
	proxy.ModifyResponse = func(resp *http.Response) error {
		_, err := db.ExecContext(resp.Request.Context(), `UPDATE sessions SET seen = now() WHERE id = $1`, resp.Request.Header.Get("X-Session"))
		return err
	}
	srv := &http.Server{
		Addr:              ":443",
		Handler:           proxy,
		ReadHeaderTimeout: 10 * time.Second,
	}
	if err := srv.ListenAndServeTLS("/etc/gateway/tls.crt", "/etc/gateway/tls.key"); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}

// Command tlsfwd terminates TLS and forwards plaintext to a backend.
package main

import (
	"context"
	"flag"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/netsrv/tlsfwd"
)

func main() {
	os.Exit(run()) // ok: main defers nothing; run has returned
}

func run() int {
	listen := flag.String("listen", ":8443", "TLS listen address")
	backend := flag.String("backend", "127.0.0.1:8080", "default backend")
	cert := flag.String("cert", "cert.pem", "certificate file")
	key := flag.String("key", "key.pem", "key file")
	drain := flag.Duration("drain", 30*time.Second, "time to let connections finish on shutdown")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fwd, err := tlsfwd.New(*backend, *cert, *key)
	if err != nil {
		log.Printf("tlsfwd: %v", err)
		return 1
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Printf("tlsfwd: %v", err)
		return 1
	}
	defer ln.Close()

	// SIGHUP reloads the certificate.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				if err := fwd.Reload(); err != nil {
					log.Printf("tlsfwd: reload: %v", err)
				} else {
					log.Printf("tlsfwd: certificate reloaded")
				}
			case <-ctx.Done():
				return
			}
		}
	}()

	log.Printf("tlsfwd: listening on %s", ln.Addr())
	if err := fwd.Serve(ctx, ln); err != nil {
		log.Printf("tlsfwd: %v", err)
		return 1
	}
	dctx, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	if err := fwd.Wait(dctx); err != nil {
		log.Printf("tlsfwd: %d connections still open after %v", fwd.Active(), *drain)
		return 1
	}
	return 0
}

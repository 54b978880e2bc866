// Command mesh-sidecar is the per-pod proxy of the service mesh.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// deregister tells the control plane this pod is gone.
func deregister(podName string) {
	log.Printf("mesh-sidecar: deregistering %s", podName)
}

func main() {
	listen := flag.String("listen", ":15001", "inbound listener")
	upstream := flag.String("upstream", "http://127.0.0.1:8080", "application address")
	flag.Parse()

	target, err := url.Parse(*upstream)
	if err != nil {
		log.Printf("mesh-sidecar: bad upstream: %v", err)
		os.Exit(2)
	}
	pod, _ := os.Hostname()
	defer deregister(pod)

	srv := &http.Server{
		Addr:              *listen,
		Handler:           httputil.NewSingleHostReverseProxy(target),
		ReadHeaderTimeout: 10 * time.Second,
	}

	idleClosed := make(chan struct{})
	go func() {
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		<-sigs
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("mesh-sidecar: shutdown: %v", err)
		}
		close(idleClosed)
	}()

	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) { // ok: SIGTERM triggers Shutdown and main returns
		log.Printf("mesh-sidecar: serve: %v", err)
		return
	}
	<-idleClosed
}

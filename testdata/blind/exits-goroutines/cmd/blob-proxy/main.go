// Command blob-proxy is a caching reverse proxy in front of the blob store.
package main

import (
	"bytes"
	"flag"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"example.com/blindd/internal/svc"
)

// cacheMiddleware answers GETs from the cache and fills it on the way back.
func cacheMiddleware(cache *svc.Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			next.ServeHTTP(w, r)
			return
		}
		if b, ok := cache.Get(r.URL.Path); ok {
			w.Header().Set("X-Cache", "hit")
			w.Write(b)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if rec.status == http.StatusOK && rec.buf.Len() < 1<<20 {
			cache.Put(r.URL.Path, bytes.Clone(rec.buf.Bytes()))
		}
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.buf.Write(p)
	return r.ResponseWriter.Write(p)
}

func main() {
	listen := flag.String("listen", ":8080", "listen address")
	upstream := flag.String("upstream", "http://127.0.0.1:9000", "blob store URL")
	cacheDir := flag.String("cache", "/var/cache/blob-proxy", "cache directory")
	flag.Parse()

	target, err := url.Parse(*upstream)
	if err != nil {
		log.Fatalf("blob-proxy: bad -upstream: %v", err)
	}
	cache, err := svc.OpenStore(*cacheDir)
	if err != nil {
		log.Fatalf("blob-proxy: %v", err)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("blob-proxy: %v", err)
	}
	defer cache.Close() // persists the cache index

	srv := &http.Server{
		Handler:           cacheMiddleware(cache, httputil.NewSingleHostReverseProxy(target)),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("blob-proxy: %s -> %s", ln.Addr(), target)
	if err := srv.Serve(ln); err != nil { // HAZ signal-skips-defer
		log.Printf("blob-proxy: serve: %v", err)
	}
}

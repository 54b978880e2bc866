package middleware

import (
	"compress/gzip"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"

	"example.com/fah20/internal/web"
)

var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(io.Discard) }}

type gzipResponseWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (g *gzipResponseWriter) WriteHeader(code int) {
	g.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

func (g *gzipResponseWriter) Write(p []byte) (int, error) { return g.zw.Write(p) }

// Flush pushes compressed bytes to the client for streaming handlers.
func (g *gzipResponseWriter) Flush() {
	if err := g.zw.Flush(); err != nil {
		return
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Gzip compresses responses for clients that accept it. The gzip trailer is
// written when the handler returns; a failure there is logged because the
// status line is already gone.
func Gzip(logger *log.Logger) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				next.ServeHTTP(w, r)
				return
			}
			zw := gzipWriters.Get().(*gzip.Writer)
			zw.Reset(w)
			defer func() {
				if err := zw.Close(); err != nil {
					logger.Printf("gzip: finishing response for %s: %v", r.URL.Path, err)
				}
				zw.Reset(io.Discard)
				gzipWriters.Put(zw)
			}()
			w.Header().Set("Content-Encoding", "gzip")
			w.Header().Add("Vary", "Accept-Encoding")
			next.ServeHTTP(&gzipResponseWriter{ResponseWriter: w, zw: zw}, r)
		})
	}
}

package smarthttp

import (
	"fmt"
	"io"
	"net/http"
)

// writePktLine writes s as one pkt-line: four hex digits of length, then the payload.
func writePktLine(w io.Writer, s string) error {
	if len(s) > 65516 {
		return fmt.Errorf("pkt-line too long: %d bytes", len(s))
	}
	_, err := fmt.Fprintf(w, "%04x%s", len(s)+4, s)
	return err
}

// writeFlush writes the flush packet "0000".
func writeFlush(w io.Writer) error {
	_, err := io.WriteString(w, "0000")
	return err
}

// flushWriter flushes the response after every write, so that git's progress
// output reaches the client while the pack is still being built.
type flushWriter struct {
	w io.Writer
	f http.Flusher
}

func newFlushWriter(w http.ResponseWriter) *flushWriter {
	f, _ := w.(http.Flusher)
	return &flushWriter{w: w, f: f}
}

func (fw *flushWriter) Write(p []byte) (int, error) {
	n, err := fw.w.Write(p)
	if err == nil && fw.f != nil {
		fw.f.Flush()
	}
	return n, err
}

// noCache marks a response as not cacheable by proxies.
func noCache(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Expires", "Fri, 01 Jan 1980 00:00:00 GMT")
	h.Set("Pragma", "no-cache")
	h.Set("Cache-Control", "no-cache, max-age=0, must-revalidate")
}

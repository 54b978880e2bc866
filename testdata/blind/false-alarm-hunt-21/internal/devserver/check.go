package devserver

import (
	"bytes"
	"context"
	"fmt"
	"go/format"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"time"
)

func checkFormatted(p string) error {
	src, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	out, err := format.Source(src)
	if err != nil {
		return err
	}
	if !bytes.Equal(src, out) {
		return fmt.Errorf("%s is not gofmt-clean", filepath.Base(p))
	}
	return nil
}

// handleCheck reports whether a generated file is gofmt-clean.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	name := path.Clean("/" + r.URL.Query().Get("file"))
	done := make(chan error)
	go func() {
		done <- checkFormatted(filepath.Join(s.root, filepath.FromSlash(name))) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
		io.WriteString(w, "ok\n")
	case <-r.Context().Done():
		s.log.Printf("check %s: client went away", name)
	}
}

// handleCheckAll checks every file named in the form within two seconds.
// The result channel has a slot per file, so abandoned checks finish and
// exit on their own.
func (s *Server) handleCheckAll(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	names := r.Form["file"]
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	results := make(chan error, len(names))
	for _, n := range names {
		go func() {
			results <- checkFormatted(filepath.Join(s.root, filepath.FromSlash(path.Clean("/"+n))))
		}()
	}
	bad := 0
	for range names {
		select {
		case err := <-results:
			if err != nil {
				bad++
				fmt.Fprintln(w, err)
			}
		case <-ctx.Done():
			http.Error(w, "check timed out", http.StatusGatewayTimeout)
			return
		}
	}
	fmt.Fprintf(w, "%d of %d files need formatting\n", bad, len(names))
}

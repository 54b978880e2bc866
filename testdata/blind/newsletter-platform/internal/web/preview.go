package web

import (
	"context"
	"io"
	"net/http"
	"time"
)

// previewTimeout bounds how long an editor waits for a render.
const previewTimeout = 2 * time.Second

// sampleData is what previews are rendered with.
var sampleData = map[string]string{
	"Name":  "Sample Reader",
	"Email": "reader@example.com",
	"Token": "preview-token",
}

// handlePreview renders a campaign template for the editor. Rendering a
// broken template can take long, so it runs in a goroutine with a timeout.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	out := make(chan string)
	go func() { // HAZ goroutine-blocked-send
		html, err := s.renderer.RenderString(name, sampleData)
		if err != nil {
			html = "<pre>" + err.Error() + "</pre>"
		}
		out <- html
	}()
	select {
	case html := <-out:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, html)
	case <-time.After(previewTimeout):
		http.Error(w, "preview timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

type renderResult struct {
	text string
	err  error
}

// handlePreviewText is the plain-text preview. The result channel has room
// for the single send, so an abandoned render can still finish and exit.
func (s *Server) handlePreviewText(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	done := make(chan renderResult, 1)
	go func() {
		text, err := s.renderer.RenderString(name, sampleData)
		done <- renderResult{text: text, err: err}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, res.text)
	case <-time.After(previewTimeout):
		http.Error(w, "preview timed out", http.StatusGatewayTimeout)
	}
}

// renderWithin renders with a deadline; the worker selects on ctx.Done, so
// it never blocks on a receiver that has already given up.
func (s *Server) renderWithin(ctx context.Context, name string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, previewTimeout)
	defer cancel()
	ch := make(chan renderResult)
	go func() {
		text, err := s.renderer.RenderString(name, sampleData)
		select {
		case ch <- renderResult{text: text, err: err}:
		case <-ctx.Done():
		}
	}()
	select {
	case res := <-ch:
		return res.text, res.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// handleCheck reports whether a template renders at all, for the editor's
// save button.
func (s *Server) handleCheck(w http.ResponseWriter, r *http.Request) {
	if _, err := s.renderWithin(r.Context(), r.PathValue("name")); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

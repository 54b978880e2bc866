package httpapi

import (
	"log"
	"net/http"
	"strings"

	"example.com/blindb/platform"
)

// SupportHandler serves the support chat.
type SupportHandler struct {
	sessions platform.SessionStore
	log      *log.Logger
}

// NewSupportHandler returns a support chat handler.
func NewSupportHandler(l *log.Logger) *SupportHandler { return &SupportHandler{log: l} }

// ServeChat appends the posted messages to a new session and logs the
// session summary when the request is done.
func (h *SupportHandler) ServeChat(w http.ResponseWriter, r *http.Request) {
	sess := h.sessions.Open(r.Header.Get("X-User"))
	defer sess.End().Log(h.log) // HAZ defer-call-chain
	for _, msg := range strings.Split(r.FormValue("messages"), "\n") {
		if err := sess.Append(msg); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// ServeChatDeferredEnd ends the session from a deferred closure, after the
// messages were appended.
func (h *SupportHandler) ServeChatDeferredEnd(w http.ResponseWriter, r *http.Request) {
	sess := h.sessions.Open(r.Header.Get("X-User"))
	defer func() { sess.End().Log(h.log) }() // ok: End runs at exit
	for _, msg := range strings.Split(r.FormValue("messages"), "\n") {
		if err := sess.Append(msg); err != nil {
			http.Error(w, err.Error(), http.StatusConflict)
			return
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

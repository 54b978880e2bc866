package transport

import (
	"encoding/json"
	"log"
	"net/http"
	"strconv"

	"example.com/kvreplication/internal/raftpb"
)

// RaftNode is what the RPC handlers need from the node.
type RaftNode interface {
	HandleAppend(*raftpb.AppendRequest) *raftpb.AppendResponse
	HandleVote(*raftpb.VoteRequest) *raftpb.VoteResponse
	IsLeader() bool
}

// EntrySource returns committed entries starting at from.
type EntrySource func(from raftpb.Index) ([]raftpb.Entry, error)

// RaftHandler serves the peer RPC endpoints.
type RaftHandler struct {
	node   RaftNode
	source EntrySource
	events chan string
	logger *log.Logger
	leave  func(id string)
}

// NewRaftHandler builds the handler; events receives audit lines for the debug page.
func NewRaftHandler(node RaftNode, source EntrySource, events chan string, logger *log.Logger, leave func(string)) *RaftHandler {
	return &RaftHandler{node: node, source: source, events: events, logger: logger, leave: leave}
}

// Routes registers the handlers on mux.
func (h *RaftHandler) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /raft/append", h.handleAppend)
	mux.HandleFunc("POST /raft/vote", h.handleVote)
	mux.HandleFunc("GET /raft/health", h.handleHealth)
	mux.HandleFunc("GET /raft/stream", h.handleStream)
	mux.HandleFunc("POST /raft/leave", h.handleLeave)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("transport: write response: %v", err)
	}
}

// publish records an audit line without ever blocking the handler.
func (h *RaftHandler) publish(line string) {
	select {
	case h.events <- line:
	default:
	}
}

func (h *RaftHandler) handleAppend(w http.ResponseWriter, r *http.Request) {
	var req raftpb.AppendRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer h.publish("append from " + req.LeaderID)
	writeJSON(w, http.StatusOK, h.node.HandleAppend(&req))
}

func (h *RaftHandler) handleVote(w http.ResponseWriter, r *http.Request) {
	var req raftpb.VoteRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp := h.node.HandleVote(&req)
	defer func() { h.events <- "vote for " + req.CandidateID + " granted=" + strconv.FormatBool(resp.Granted) }() // HAZ defer-blocking-call
	writeJSON(w, http.StatusOK, resp)
}

func (h *RaftHandler) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true, "leader": h.node.IsLeader()})
}

func (h *RaftHandler) handleLeave(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" {
		http.Error(w, "missing id", http.StatusBadRequest)
		return
	}
	if h.leave != nil {
		h.leave(id)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *RaftHandler) handleStream(w http.ResponseWriter, r *http.Request) {
	from, err := strconv.ParseUint(r.URL.Query().Get("from"), 10, 64)
	if err != nil {
		http.Error(w, "bad from", http.StatusBadRequest)
		return
	}
	entries, err := h.source(raftpb.Index(from))
	if err != nil {
		http.Error(w, err.Error(), http.StatusGone)
		return
	}
	defer func() {
		select {
		case h.events <- "stream served from " + strconv.FormatUint(from, 10):
		default:
		}
	}()
	enc := json.NewEncoder(w)
	flusher, _ := w.(http.Flusher)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
}

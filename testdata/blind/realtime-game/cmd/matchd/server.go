package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"example.com/realtimegame/internal/leaderboard"
	"example.com/realtimegame/internal/match"
)

type ticketServer struct {
	queue   *match.Queue
	board   *leaderboard.Board
	timeout time.Duration
}

type enqueueRequest struct {
	PlayerID string `json:"player_id"`
	Region   string `json:"region"`
}

func (t *ticketServer) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/tickets", t.handleEnqueue)
	mux.HandleFunc("/tickets/cancel", t.handleCancel)
	mux.HandleFunc("/tickets/quick", t.handleQuick)
	mux.HandleFunc("/stats", t.handleStats)
	return mux
}

func (t *ticketServer) handleEnqueue(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	var req enqueueRequest
	if err := decodeJSON(r, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	tk := match.NewTicket(req.PlayerID, t.board.RatingOf(req.PlayerID), req.Region)
	if err := t.queue.Enqueue(tk); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), t.timeout)
	defer cancel()
	m, err := t.queue.Wait(ctx, tk)
	if err != nil {
		http.Error(w, "no match found in time", http.StatusRequestTimeout)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (t *ticketServer) handleQuick(w http.ResponseWriter, r *http.Request) {
	var req enqueueRequest
	if err := decodeJSON(r, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	m, err := t.queue.QuickMatch(ctx, match.NewTicket(req.PlayerID, t.board.RatingOf(req.PlayerID), req.Region))
	if errors.Is(err, match.ErrNoMatch) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusGatewayTimeout)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (t *ticketServer) handleCancel(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("player")
	if !t.queue.Cancel(id) {
		http.Error(w, "no ticket for "+id, http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (t *ticketServer) handleStats(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, t.queue.Stats())
}

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad request body: %w", err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("matchd: write response: %v", err)
	}
}

package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"example.com/messagebroker/internal/metrics"
	"example.com/messagebroker/internal/server"
	"example.com/messagebroker/internal/topic"
)

type createTopicRequest struct {
	Name       string `json:"name"`
	Partitions int    `json:"partitions"`
}

func (a *API) handleListTopics(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.topics.Names())
}

func (a *API) handleCreateTopic(w http.ResponseWriter, r *http.Request) {
	var req createTopicRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	if req.Name == "" || req.Partitions <= 0 {
		writeError(w, http.StatusBadRequest, errors.New("name and positive partitions required"))
		return
	}
	if _, err := a.topics.Create(req.Name, req.Partitions); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, topic.ErrTopicExists) {
			status = http.StatusConflict
		}
		writeError(w, status, err)
		return
	}
	a.notifyPeersAsync("create", req.Name)
	writeJSON(w, http.StatusCreated, req)
}

func (a *API) handleDeleteTopic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	defer a.notifyPeers("delete", name) // HAZ defer-blocking-call
	if err := a.topics.Delete(name); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, topic.ErrTopicUnknown) {
			status = http.StatusNotFound
		}
		writeError(w, status, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// notifyPeers tells every peer broker about a topic change.
func (a *API) notifyPeers(event, name string) {
	body, _ := json.Marshal(map[string]string{"event": event, "topic": name})
	for _, peer := range a.peers {
		resp, err := a.client.Post(peer+"/internal/topic-event", "application/json", bytes.NewReader(body))
		if err != nil {
			log.Printf("admin: notify %s: %v", peer, err)
			continue
		}
		resp.Body.Close()
	}
}

// notifyPeersAsync notifies peers in the background with a bounded context
// so the request handler returns immediately.
func (a *API) notifyPeersAsync(event, name string) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
		defer cancel()
		body, _ := json.Marshal(map[string]string{"event": event, "topic": name})
		for _, peer := range a.peers {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, peer+"/internal/topic-event", bytes.NewReader(body))
			if err != nil {
				log.Printf("admin: notify %s: %v", peer, err)
				continue
			}
			resp, err := a.client.Do(req)
			if err != nil {
				log.Printf("admin: notify %s: %v", peer, err)
				continue
			}
			resp.Body.Close()
		}
	}()
}

func (a *API) handleTopicStats(w http.ResponseWriter, r *http.Request) {
	t, ok := a.topics.Get(r.PathValue("name"))
	if !ok {
		writeError(w, http.StatusNotFound, topic.ErrTopicUnknown)
		return
	}
	writeJSON(w, http.StatusOK, t.Stats())
}

func (a *API) handleGroups(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, a.groups.Snapshot())
}

type brokerStats struct {
	Partitions  []topic.PartitionStats `json:"partitions"`
	Connections int                    `json:"connections"`
	InFlight    int                    `json:"in_flight"`
}

func (a *API) collect() brokerStats {
	return brokerStats{
		Partitions:  a.topics.StatsAll(),
		Connections: a.srv.ConnCount(),
		InFlight:    a.acks.InFlight(),
	}
}

// handleStats gathers broker statistics, abandoning the request if the
// client goes away first.
func (a *API) handleStats(w http.ResponseWriter, r *http.Request) {
	ch := make(chan brokerStats)
	go func() {
		ch <- a.collect() // HAZ goroutine-blocked-send
	}()
	select {
	case st := <-ch:
		writeJSON(w, http.StatusOK, st)
	case <-r.Context().Done():
		return
	}
}

// handleConnections is handleStats done right: the channel has room for
// the single result.
func (a *API) handleConnections(w http.ResponseWriter, r *http.Request) {
	ch := make(chan []server.ConnStats, 1)
	go func() {
		ch <- a.srv.Stats()
	}()
	select {
	case st := <-ch:
		writeJSON(w, http.StatusOK, st)
	case <-r.Context().Done():
	}
}

// handleHealth runs the self-check with a timeout; the checker selects on
// the context when reporting.
func (a *API) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	ch := make(chan error)
	go func() {
		err := a.selfCheck()
		select {
		case ch <- err:
		case <-ctx.Done():
		}
	}()
	select {
	case err := <-ch:
		if err != nil {
			writeError(w, http.StatusServiceUnavailable, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	case <-ctx.Done():
		writeError(w, http.StatusServiceUnavailable, fmt.Errorf("health check: %w", ctx.Err()))
	}
}

func (a *API) selfCheck() error {
	for _, name := range a.topics.Names() {
		t, ok := a.topics.Get(name)
		if !ok {
			continue
		}
		if t.PartitionCount() == 0 {
			return fmt.Errorf("topic %s has no partitions", name)
		}
	}
	return nil
}

func (a *API) handleMetrics(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	if _, err := metrics.Default.WriteTo(w); err != nil {
		log.Printf("admin: write metrics: %v", err)
	}
}

func (a *API) handleSaveOffsets(w http.ResponseWriter, r *http.Request) {
	if err := a.offsets.Save(); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

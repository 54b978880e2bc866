// Command mockacquirer is a local stand-in for the card networks, used by
// developers and the end-to-end suite. It records every request and writes a
// transcript on exit for the suite to assert on.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

type transcriptEntry struct {
	At   time.Time       `json:"at"`
	Path string          `json:"path"`
	Body json.RawMessage `json:"body"`
}

var (
	transcriptMu sync.Mutex
	transcript   []transcriptEntry
)

func record(path string, body []byte) {
	transcriptMu.Lock()
	defer transcriptMu.Unlock()
	transcript = append(transcript, transcriptEntry{At: time.Now(), Path: path, Body: append([]byte(nil), body...)})
}

func dumpTranscript(path string) {
	transcriptMu.Lock()
	data, err := json.MarshalIndent(transcript, "", "  ")
	transcriptMu.Unlock()
	if err != nil {
		log.Printf("transcript: %v", err)
		return
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Printf("transcript: %v", err)
	}
}

func handleAuthorize(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CardToken string `json:"card_token"`
		Amount    int64  `json:"amount"`
	}
	body := json.NewDecoder(r.Body)
	if err := body.Decode(&req); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	raw, _ := json.Marshal(req)
	record(r.URL.Path, raw)
	approved := !strings.HasPrefix(req.CardToken, "tok_decline")
	code := "00"
	if !approved {
		code = "05"
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"approved": approved, "code": code, "network_ref": "mock_" + req.CardToken})
}

func handleAck(w http.ResponseWriter, r *http.Request) {
	record(r.URL.Path, []byte(`{}`))
	w.WriteHeader(http.StatusOK)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:9090", "listen address")
	out := flag.String("transcript", "mockacquirer-transcript.json", "transcript written on exit")
	flag.Parse()

	defer dumpTranscript(*out)

	mux := http.NewServeMux()
	mux.HandleFunc("/v1/authorize", handleAuthorize)
	mux.HandleFunc("/v1/capture", handleAck)
	mux.HandleFunc("/v1/refund", handleAck)
	mux.HandleFunc("/v1/void", handleAck)
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	log.Printf("mock acquirer on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}

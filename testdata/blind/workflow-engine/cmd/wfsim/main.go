// Command wfsim is a development stand-in for the engine's task endpoints:
// it hands out synthetic tasks so that activity code can be exercised
// without a full deployment.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

type simTask struct {
	ID            string          `json:"id"`
	WorkflowID    string          `json:"wf"`
	Activity      string          `json:"activity"`
	Input         json.RawMessage `json:"input,omitempty"`
	Attempt       int             `json:"attempt"`
	TimeoutMillis int64           `json:"timeout_ms"`
}

type simulator struct {
	activity string
	input    json.RawMessage
	seq      atomic.Int64
	done     atomic.Int64

	mu      sync.Mutex
	journal *bufio.Writer
}

func (s *simulator) handlePoll(w http.ResponseWriter, r *http.Request) {
	n := s.seq.Add(1)
	t := simTask{
		ID:            fmt.Sprintf("sim-%d", n),
		WorkflowID:    fmt.Sprintf("simwf-%d", n),
		Activity:      s.activity,
		Input:         s.input,
		Attempt:       1,
		TimeoutMillis: (30 * time.Second).Milliseconds(),
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(t); err != nil {
		log.Printf("wfsim: poll: %v", err)
	}
}

func (s *simulator) handleComplete(w http.ResponseWriter, r *http.Request) {
	s.done.Add(1)
	s.mu.Lock()
	_, err := fmt.Fprintf(s.journal, "%s completed %s\n", time.Now().Format(time.RFC3339), r.PathValue("id"))
	s.mu.Unlock()
	if err != nil {
		log.Printf("wfsim: journal: %v", err)
	}
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:7233", "listen address")
	activity := flag.String("activity", "sleep", "activity to hand out")
	input := flag.String("input", `{"ms":100}`, "activity input (JSON)")
	journal := flag.String("journal", "wfsim.log", "completion journal")
	flag.Parse()

	jf, err := os.OpenFile(*journal, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatalf("wfsim: %v", err)
	}
	journalBuf := bufio.NewWriterSize(jf, 256<<10)
	defer func() {
		if err := errors.Join(journalBuf.Flush(), jf.Close()); err != nil {
			log.Printf("wfsim: close journal: %v", err)
		}
	}()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("wfsim: %v", err)
		return
	}
	defer ln.Close()

	sim := &simulator{activity: *activity, input: json.RawMessage(*input), journal: journalBuf}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/queues/{queue}/tasks", sim.handlePoll)
	mux.HandleFunc("POST /v1/tasks/{id}/heartbeat", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /v1/tasks/{id}/complete", sim.handleComplete)
	log.Printf("wfsim: serving %s tasks on %s", *activity, ln.Addr())
	if err := http.Serve(ln, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("wfsim: %v", err)
	}
}

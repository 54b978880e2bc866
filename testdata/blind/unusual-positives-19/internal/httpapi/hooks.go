package httpapi

import (
	"context"
	"net/http"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"example.com/up19/internal/fanout"
)

// HookCommand is run with the topic name after a retention change.
var HookCommand = "/usr/local/libexec/relay-retention-hook"

// runHook runs the retention hook for topic.
func (a *API) runHook(topic string) {
	cmd := exec.Command(HookCommand, topic)
	if out, err := cmd.CombinedOutput(); err != nil {
		a.log.Printf("retention hook %s: %v: %s", topic, err, out)
	}
}

// handleRetention sets the retention of a topic from ?days= and runs the
// retention hook afterwards.
func (a *API) handleRetention() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		topic := r.PathValue("topic")
		days, err := strconv.Atoi(r.URL.Query().Get("days"))
		if err != nil || days <= 0 {
			http.Error(w, "days must be a positive integer", http.StatusBadRequest)
			return
		}
		defer a.runHook(topic) // HAZ defer-blocking-call
		if a.cat.SetRetention([]string{topic}, time.Duration(days)*24*time.Hour) == 0 {
			http.Error(w, "unknown topic", http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// handleRetentionBounded is handleRetention with the hook bounded and run
// after the response, off the request goroutine.
func (a *API) handleRetentionBounded() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		topic := r.PathValue("topic")
		days, err := strconv.Atoi(r.URL.Query().Get("days"))
		if err != nil || days <= 0 {
			http.Error(w, "days must be a positive integer", http.StatusBadRequest)
			return
		}
		if a.cat.SetRetention([]string{topic}, time.Duration(days)*24*time.Hour) == 0 {
			http.Error(w, "unknown topic", http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if out, err := exec.CommandContext(ctx, HookCommand, topic).CombinedOutput(); err != nil {
				a.log.Printf("retention hook %s: %v: %s", topic, err, out)
			}
		}()
	}
}

// handleReplicate accepts an event and copies it to every replica in the
// background; the response is written as soon as the event is queued.
func (a *API) handleReplicate(replicas []string, deliver fanout.DeliverFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ev := fanout.Event{Topic: r.PathValue("topic")}
		var wg sync.WaitGroup
		defer wg.Wait() // HAZ defer-blocking-call
		for _, rep := range replicas {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ack := deliver(context.Background(), rep, ev); !ack.OK {
					a.log.Printf("replicate %s to %s: %v", ev.Topic, rep, ack.Err)
				}
			}()
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

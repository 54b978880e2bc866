package runner

import (
	"bytes"
	"encoding/json"
	"log"
	"net/http"
	"runtime/debug"
	"time"

	"example.com/cirunner/internal/job"
)

// logPanic records a panic raised by a plugin hook.
func logPanic(where string) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		log.Printf("%s: recovered panic: %v", where, p)
	}
}

// runHooks calls every configured plugin hook for j. A broken plugin must
// not fail the job.
func (r *Runner) runHooks(j *job.Job) {
	for _, h := range r.cfg.Hooks {
		func() {
			defer func() { logPanic("hook " + h.Name) }()
			h.Fn(j)
		}()
	}
}

// recoverLog must be deferred directly. It logs a panic with its stack and
// lets the goroutine end normally.
func recoverLog(where string) {
	if p := recover(); p != nil {
		log.Printf("%s: panic: %v\n%s", where, p, debug.Stack())
	}
}

type webhookPayload struct {
	Job    string     `json:"job"`
	Status job.Status `json:"status"`
	At     time.Time  `json:"at"`
}

// notifyAll posts the outcome of j to every webhook in the background.
func (r *Runner) notifyAll(j *job.Job, st job.Status) {
	defer recoverLog("notify " + j.ID)
	body, err := json.Marshal(webhookPayload{Job: j.ID, Status: st, At: time.Now()})
	if err != nil {
		log.Printf("notify %s: %v", j.ID, err)
		return
	}
	for _, hook := range r.cfg.Webhooks {
		go func(url string) {
			defer recoverLog("webhook " + url)
			postWebhook(url, body)
		}(hook)
	}
}

func postWebhook(url string, body []byte) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("webhook %s: %v", url, err)
		return
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		log.Printf("webhook %s: %s", url, resp.Status)
	}
}

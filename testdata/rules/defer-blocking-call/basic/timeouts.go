package fixture

import (
	"context"
	"log"
	"net/http"
	"os/exec"
	"time"
)

type controlAgent struct {
	client  *http.Client
	control string
}

func newControlAgent(control string) *controlAgent {
	return &controlAgent{client: &http.Client{Timeout: 2 * time.Second}, control: control}
}

// ---- not flagged ----

// The client has a Timeout: the deferred request ends by it.
func (a *controlAgent) register(run func() error) error {
	defer func() {
		resp, err := a.client.Post(a.control+"/deregister", "text/plain", nil)
		if err != nil {
			log.Printf("deregister: %v", err)
			return
		}
		resp.Body.Close()
	}()
	return run()
}

// A local client with a Timeout.
func notifyDone(url string, run func() error) error {
	client := &http.Client{Timeout: time.Second}
	defer func() {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
		}
	}()
	return run()
}

// The command is built with a context that has a deadline.
func withMount(dir string, fn func() error) error {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if out, err := exec.CommandContext(ctx, "umount", dir).CombinedOutput(); err != nil {
			log.Printf("umount %s: %v: %s", dir, err, out)
		}
	}()
	return fn()
}

// ---- flagged ----

// The default client has no Timeout.
func notifyDefault(url string, run func() error) error {
	defer func() { // want `http\.DefaultClient\.Get\(url\) .*waits for a network round trip`
		if resp, err := http.DefaultClient.Get(url); err == nil {
			resp.Body.Close()
		}
	}()
	return run()
}

// In a request handler the response still waits for as long as the client's Timeout allows.
func (a *controlAgent) handleDelete(w http.ResponseWriter, r *http.Request) {
	defer func() { // want `a\.client\.Post\(.*waits for a network round trip, so controlAgent\.handleDelete \(a net/http handler\) cannot finish the request`
		if resp, err := a.client.Post(a.control+"/audit", "text/plain", nil); err == nil {
			resp.Body.Close()
		}
	}()
	w.WriteHeader(http.StatusNoContent)
}

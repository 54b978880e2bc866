// Command dl-alert watches the dead-letter file and posts a message to a
// chat webhook whenever the backlog grows.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/webhooks/internal/replay"
)

func main() {
	path := flag.String("dead-letters", "/var/lib/webhooks/dead.jsonl", "dead-letter file")
	every := flag.Duration("every", time.Minute, "check interval")
	alertURL := flag.String("alert-url", "", "chat webhook URL")
	lockPath := flag.String("lock", "/run/webhooks/dl-alert.lock", "single-instance lock file")
	flag.Parse()
	if *alertURL == "" {
		log.Fatal("dl-alert: -alert-url is required")
	}

	lock, err := replay.AcquireLock(*lockPath)
	if err != nil {
		log.Fatal(err)
	}
	defer lock.Release()

	go watch(*path, *every, *alertURL)
	select {} // HAZ signal-skips-defer
}

// watch compares the backlog at every tick with the previous one.
func watch(path string, every time.Duration, alertURL string) {
	t := time.NewTicker(every)
	defer t.Stop()
	last := -1
	for range t.C {
		n, err := countRecords(path)
		if err != nil {
			log.Printf("dl-alert: %v", err)
			continue
		}
		if last >= 0 && n > last {
			if err := postAlert(alertURL, n, n-last); err != nil {
				log.Printf("dl-alert: %v", err)
			}
		}
		last = n
	}
}

// countRecords counts the lines of the dead-letter file.
func countRecords(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return 0, nil
		}
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// postAlert sends one chat message, giving up after ten seconds.
func postAlert(url string, total, added int) error {
	body, err := json.Marshal(map[string]string{
		"text": fmt.Sprintf(":warning: %d new dead-lettered webhooks (%d in total)", added, total),
	})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("alert webhook answered %d", resp.StatusCode)
	}
	return nil
}

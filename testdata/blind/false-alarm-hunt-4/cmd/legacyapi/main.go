// Command legacyapi serves the v1 API from a local snapshot.
package main

import (
	"bufio"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/falsealarm4/internal/session"
)

func main() {
	mgr := session.NewManager(time.Hour)

	snap, err := os.Open("sessions.snapshot")
	if err != nil {
		log.Fatal(err)
	}
	sc := bufio.NewScanner(snap)
	for sc.Scan() {
		if id, user, ok := strings.Cut(sc.Text(), " "); ok {
			mgr.Create(id, user, time.Now())
		}
	}
	snap.Close()

	lock := "legacyapi.lock"
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(lock)

	http.HandleFunc("/v1/sessions", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", mgr.Len())))
	})
	if err := http.ListenAndServe(":8085", nil); err != nil { // HAZ signal-skips-defer
		log.Printf("legacyapi: %v", err)
	}
}

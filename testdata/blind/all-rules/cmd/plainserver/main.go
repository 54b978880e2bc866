// Command plainserver serves static health answers and holds no cleanup.
package main

import (
	"log"
	"net/http"
)

func main() {
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	log.Print("listening on :8090")
	if err := http.ListenAndServe(":8090", nil); err != nil { // ok: no deferred cleanup to skip
		log.Printf("serve: %v", err)
	}
}

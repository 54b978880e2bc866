package httpx

import (
	"encoding/json"
	"net/http"
)

// WriteJSON writes v as a JSON document with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// WriteError writes {"error": ...}. Details of 5xx errors are not exposed.
func WriteError(w http.ResponseWriter, status int, err error) {
	msg := http.StatusText(status)
	if err != nil && status < http.StatusInternalServerError {
		msg = err.Error()
	}
	WriteJSON(w, status, map[string]string{"error": msg})
}

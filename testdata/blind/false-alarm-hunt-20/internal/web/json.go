package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// HTTPError is an error with the status code it should be reported as.
type HTTPError struct {
	Code    int    `json:"-"`
	Message string `json:"error"`
}

func (e *HTTPError) Error() string { return fmt.Sprintf("%d %s", e.Code, e.Message) }

// WriteJSON encodes v and writes it with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "encoding response", http.StatusInternalServerError)
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(append(body, '\n'))
	return err
}

// Error writes a JSON error body.
func Error(w http.ResponseWriter, code int, msg string) {
	_ = WriteJSON(w, code, &HTTPError{Code: code, Message: msg})
}

// DecodeJSON decodes at most limit bytes of the request body into v.
func DecodeJSON(r *http.Request, v any, limit int64) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &HTTPError{Code: http.StatusBadRequest, Message: "invalid JSON: " + err.Error()}
	}
	return nil
}

package deferr

import (
	"io"
	"net/http"
)

// The form's file is nil when the request has none, and its error is discarded.
func handleUpload(w http.ResponseWriter, r *http.Request) {
	file, hdr, _ := r.FormFile("file")
	defer file.Close() // want `the error of \(\*net/http\.Request\)\.FormFile on line \d+ is discarded: when the request fails file is nil`
	if hdr == nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	_, _ = io.Copy(io.Discard, file)
}

// The error is checked before the defer.
func handleUploadChecked(w http.ResponseWriter, r *http.Request) {
	file, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "no file", http.StatusBadRequest)
		return
	}
	defer file.Close()
	_, _ = io.Copy(io.Discard, file)
}

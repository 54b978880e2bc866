package main

import (
	"net/http"

	"example.com/sig/store"
)

func main() {
	db, _ := store.Open("x")
	defer db.Close()
	go waitForSignal(db)
	_ = http.ListenAndServe(":8080", nil)
}

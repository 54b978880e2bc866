package main

import (
	"log"
	"net/http"

	"example.com/sig/store"
)

func main() {
	db, _ := store.Open("x")
	defer db.Close()
	log.Fatal(http.ListenAndServe(":8080", nil)) // want `blocks in net/http.ListenAndServe`
}

package main

import (
	"log"
	"time"

	"example.com/sig/store"
)

func poll(db *store.DB) {
	for {
		time.Sleep(time.Second)
		log.Print(db)
	}
}

func main() {
	db, _ := store.Open("x")
	defer db.Close()
	poll(db) // want `blocks in an endless for loop through main → poll \(line 20\)`
}

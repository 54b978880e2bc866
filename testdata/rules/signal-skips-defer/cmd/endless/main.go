package main

import (
	"time"

	"example.com/sig/store"
)

func main() {
	db, _ := store.Open("x")
	defer db.Flush()
	for { // want `blocks in the endless for loop \(line 12\)`
		time.Sleep(time.Second)
		db.Flush()
	}
}
